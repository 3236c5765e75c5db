// picvault's page: the few things that need a script. Filters apply as they change; pictures can
// be picked in a month's grid; a restore (or a run's undo) is posted with the page's form token
// and its progress polled until it ends; an undo then draws the run log again, with the restore
// that undid it. Everything else is plain links and forms.
'use strict';

const csrf = document.querySelector('meta[name=csrf]')?.content ?? '';

for (const form of document.querySelectorAll('form[data-autosubmit]')) {
  form.addEventListener('change', () => {
    // Empty filters stay out of the address.
    for (const el of form.elements) if (el.name && !el.value) el.disabled = true;
    form.submit();
  });
}

const grid = document.querySelector('[data-pickable]');
const picked = document.querySelector('aside.picked');
if (grid && picked) {
  const countLabel = picked.querySelector('[data-picked-count]');
  const update = () => {
    const n = grid.querySelectorAll('input[name=hash]:checked').length;
    picked.hidden = n === 0;
    // The sentence in both its forms comes with the page (src/i18n): "1 picture", "# pictures".
    countLabel.textContent = n === 1 ? picked.dataset.one : picked.dataset.many.replace('#', String(n));
  };
  grid.addEventListener('change', update);
  update();
}

for (const form of document.querySelectorAll('form[data-restore]')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = new URLSearchParams(new FormData(form));
    if (grid && picked?.contains(form)) for (const box of grid.querySelectorAll('input[name=hash]:checked')) body.append('hash', box.value);
    const button = form.querySelector('button');
    const bar = form.querySelector('.progress');
    const meter = bar.querySelector('progress');
    const said = bar.querySelector('output');
    const show = (text, bad) => {
      bar.hidden = false;
      said.textContent = text;
      said.classList.toggle('bad', Boolean(bad));
    };
    button.disabled = true;
    try {
      const started = await fetch(form.action, { method: 'POST', body, headers: { 'x-csrf-token': csrf } });
      const answer = await started.json();
      if (!started.ok) return show(answer.error, true);
      for (;;) {
        const job = await (await fetch(`/jobs/${answer.job}`)).json();
        meter.max = Math.max(1, job.total);
        meter.value = job.state === 'done' ? meter.max : job.done;
        show([job.message, ...(job.skipped ?? [])].join('\n'), job.state === 'failed');
        if (job.state === 'done' || job.state === 'failed') {
          // Long enough to read what was restored.
          if (job.state === 'done' && 'reload' in form.dataset) setTimeout(() => location.reload(), 2500);
          break;
        }
        await new Promise((r) => setTimeout(r, 400));
      }
    } catch (err) {
      show(String(err), true);
    } finally {
      button.disabled = false;
    }
  });
}
