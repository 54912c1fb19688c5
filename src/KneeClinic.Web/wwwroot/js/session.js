// No lost work. Two minutes before the session ends for inactivity a warning offers "Stay signed in"; typing in a
// form keeps the session alive (a keep-alive at most once a minute). What is typed in a form is kept in this tab's
// sessionStorage until the form is sent and answered, so a session that ends while someone types (or a form sent
// after it ended, which goes through the sign-in page) gives the text back in its form after signing in again.
// Passwords, files and hidden fields are never kept; signing out clears everything kept.
(() => {
    'use strict';
    const prefix = 'kneeclinic-draft:';
    const warnBefore = 120 * 1000;
    const keepAliveEvery = 60 * 1000;
    const onLoginPage = location.pathname.toLowerCase().startsWith('/account/login');

    // A form is known by its address and, where several forms on the page send to the same one, its place among them.
    const address = form => new URL(form.action, location.href).pathname.toLowerCase();
    const key = form => prefix + address(form) + '#' + [...document.forms].filter(f => address(f) === address(form)).indexOf(form);
    const keptFields = form => [...form.elements].filter(e => e.name && !e.disabled && e.name !== '__RequestVerificationToken'
        && !['hidden', 'password', 'file', 'submit', 'button', 'reset'].includes(e.type));
    const draftForms = () => [...document.querySelectorAll('form[method="post" i]')]
        .filter(f => !f.hasAttribute('data-no-draft') && keptFields(f).length > 0);

    const read = k => { try { return JSON.parse(sessionStorage.getItem(k)); } catch { return null; } };
    const write = (k, draft) => { try { sessionStorage.setItem(k, JSON.stringify(draft)); } catch { /* storage full or off: nothing kept */ } };
    const keys = () => Object.keys(sessionStorage).filter(k => k.startsWith(prefix));

    function save(form, submitted) {
        const fields = keptFields(form).map(e => [e.name, e.type === 'checkbox' || e.type === 'radio' ? (e.checked ? e.value : null) : e.value]);
        write(key(form), { fields, submitted, interrupted: false });
    }

    function restore(form, draft) {
        const elements = keptFields(form);
        for (const e of elements) {
            if (e.type === 'checkbox' || e.type === 'radio') e.checked = draft.fields.some(([n, v]) => n === e.name && v === e.value);
        }
        for (const [name, value] of draft.fields) {
            if (value === null) continue;
            const field = elements.find(e => e.name === name && e.type !== 'checkbox' && e.type !== 'radio');
            if (field) field.value = value;
        }
        // A form inside a closed <details> is opened, so the restored text is seen.
        const details = form.closest('details');
        if (details) details.open = true;
    }

    // The sign-in page: a form sent while signed out came here; its draft is to be given back after signing in.
    if (onLoginPage) {
        for (const k of keys()) {
            const draft = read(k);
            if (draft) { draft.interrupted = true; write(k, draft); }
        }
        return;
    }

    // Any other page: a draft sent and answered (saved, or shown again with its errors by the server) is done with;
    // one not sent, or sent into a sign-in, comes back in its form.
    const pageHasErrors = document.querySelector('.validation-summary-errors, .field-validation-error') !== null;
    let restored = false;
    const forms = draftForms();
    for (const k of keys()) {
        const draft = read(k);
        const form = forms.find(f => key(f) === k);
        if (!draft || (draft.submitted && !draft.interrupted)) { sessionStorage.removeItem(k); continue; }
        if (!form) continue;
        if (pageHasErrors) { sessionStorage.removeItem(k); continue; }
        restore(form, draft);
        draft.submitted = false;
        draft.interrupted = false;
        write(k, draft);
        restored = true;
    }
    const notice = document.getElementById('draft-restored');
    if (restored && notice) {
        notice.hidden = false;
        document.getElementById('discard-draft')?.addEventListener('click', () => {
            for (const k of keys()) sessionStorage.removeItem(k);
            location.reload();
        });
    }

    for (const form of forms) {
        form.addEventListener('input', () => save(form, false));
        form.addEventListener('change', () => save(form, false));
        form.addEventListener('submit', () => save(form, true));
    }
    document.querySelectorAll('form[action$="/Account/Logout" i]').forEach(f =>
        f.addEventListener('submit', () => keys().forEach(k => sessionStorage.removeItem(k))));

    // The session clock.
    const seconds = Number(document.body.dataset.sessionSeconds);
    if (!seconds) return;
    let endsAt = Date.now() + seconds * 1000;
    let lastContact = Date.now();
    const warning = document.getElementById('session-warning');
    const ended = document.getElementById('session-ended');
    const countdown = document.getElementById('session-countdown');

    async function keepAlive() {
        lastContact = Date.now();
        try {
            const answer = await fetch('/Manage/KeepAlive', {
                headers: { 'X-Requested-With': 'XMLHttpRequest', 'Accept': 'application/json' },
                credentials: 'same-origin', cache: 'no-store', redirect: 'manual',
            });
            if (!answer.ok) { endsAt = Date.now(); tick(); return; }
            endsAt = Date.now() + (await answer.json()).secondsLeft * 1000;
        } catch {
            // The server could not be reached: the local clock keeps counting, and the warning stays.
        }
        tick();
    }

    function tick() {
        const left = endsAt - Date.now();
        if (left <= 0) {
            warning.hidden = true;
            ended.hidden = false;
            clearInterval(timer);
            return;
        }
        warning.hidden = left > warnBefore;
        if (!warning.hidden) {
            const s = Math.ceil(left / 1000);
            countdown.textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
        }
    }

    document.getElementById('stay-signed-in').addEventListener('click', keepAlive);
    document.addEventListener('input', () => { if (Date.now() - lastContact >= keepAliveEvery && endsAt > Date.now()) keepAlive(); });
    const timer = setInterval(tick, 1000);
})();
