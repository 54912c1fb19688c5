// A table wider than the screen scrolls inside its box (.table-responsive). While it does, the box is a named region
// that takes keyboard focus, so it can be scrolled with the arrow keys (WCAG 2.1.1); when it fits, it is no extra tab stop.
(() => {
    const name = box => {
        const table = box.querySelector('table');
        const caption = table?.caption?.textContent.trim() || table?.getAttribute('aria-label');
        if (caption) return caption;
        for (let e = box.previousElementSibling ?? box.parentElement; e && e !== document.body; e = e.previousElementSibling ?? e.parentElement) {
            const heading = e.matches('h1, h2, h3, h4, h5, h6') ? e : null;
            if (heading) return heading.textContent.trim();
        }
        return 'Table';
    };
    const update = box => {
        if (box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight) {
            box.tabIndex = 0;
            box.setAttribute('role', 'region');
            box.setAttribute('aria-label', `${name(box)} (scrolls sideways)`);
        } else {
            box.removeAttribute('tabindex');
            box.removeAttribute('role');
            box.removeAttribute('aria-label');
        }
    };
    // The box and its table are watched: the screen turns, the window narrows, or the table grows.
    const watch = new ResizeObserver(entries => {
        for (const entry of entries) update(entry.target.closest('.table-responsive'));
    });
    for (const box of document.querySelectorAll('.table-responsive')) {
        update(box);
        watch.observe(box);
        if (box.querySelector('table')) watch.observe(box.querySelector('table'));
    }
})();
