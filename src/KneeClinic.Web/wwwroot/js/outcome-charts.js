// Draws each outcome chart on the case page from the data its canvas carries (data-chart), with Chart.js.
// The dashed line is the level that counts as a noticeable improvement from baseline.
(function () {
    if (typeof Chart === "undefined") return;
    document.querySelectorAll("canvas.outcome-chart").forEach(function (canvas) {
        var data = JSON.parse(canvas.dataset.chart);
        if (data.values.length === 0) return;
        var datasets = [{
            label: data.measure,
            data: data.values,
            borderColor: "#0d6efd",
            backgroundColor: "#0d6efd",
            tension: 0
        }];
        if (data.threshold !== null) {
            datasets.push({
                label: "Noticeable improvement",
                data: data.labels.map(function () { return data.threshold; }),
                borderColor: "#198754",
                borderDash: [6, 4],
                pointRadius: 0,
                fill: false
            });
        }
        canvas.chart = new Chart(canvas, {
            type: "line",
            data: { labels: data.labels, datasets: datasets },
            options: {
                animation: false,
                scales: { y: { min: data.min, max: data.max } },
                plugins: { legend: { labels: { boxHeight: 2 } } }
            }
        });
    });
})();
