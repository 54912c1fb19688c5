// The label page's Print button (no inline scripts: the Content-Security-Policy allows only files from this site).
document.getElementById('print-label')?.addEventListener('click', () => window.print());
