// Draws each group's responder rates on the outcome report with Chart.js. Every measure and visit has two rows: among
// those measured (blue), and counting everyone not measured as not improved (grey). The bar spans the 95% interval,
// the dot is the rate; a row with nothing due yet is left empty.
(function () {
    var print = document.getElementById("print-report");
    if (print) print.addEventListener("click", function () { window.print(); });
    if (typeof Chart === "undefined") return;
    document.querySelectorAll("canvas.outcome-rates").forEach(function (canvas) {
        var rows = [];
        JSON.parse(canvas.dataset.chart).forEach(function (r) {
            rows.push({ label: [r.label, "measured"], value: r.observed, colour: "13,110,253" });
            rows.push({ label: [r.label, "missing = not improved"], value: r.worst, colour: "73,80,87" });
        });
        if (rows.length === 0) return;
        canvas.chart = new Chart(canvas, {
            data: {
                labels: rows.map(function (r) { return r.label; }),
                datasets: [
                    {
                        type: "line", label: "Share who improved", showLine: false, pointRadius: 5,
                        data: rows.map(function (r) { return r.value ? r.value[1] : null; }),
                        pointBackgroundColor: rows.map(function (r) { return "rgb(" + r.colour + ")"; }),
                        pointBorderColor: rows.map(function (r) { return "rgb(" + r.colour + ")"; })
                    },
                    {
                        type: "bar", label: "95% interval",
                        data: rows.map(function (r) { return r.value ? [r.value[0], r.value[2]] : null; }),
                        backgroundColor: rows.map(function (r) { return "rgba(" + r.colour + ",0.3)"; })
                    }
                ]
            },
            options: {
                animation: false,
                scales: { y: { min: 0, max: 100, title: { display: true, text: "% of patients who improved" } } }
            }
        });
    });
})();
