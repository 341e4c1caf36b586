// While a report is being issued, show what the background job is doing and how long
// it has waited, and reload the page when it is done. Without JavaScript the banner
// has a "Check progress" link that shows the same.
const banner = document.querySelector("[data-report-progress-url]");
if (banner) {
  const url = banner.dataset.reportProgressUrl;
  const part = (name) => banner.querySelector(`[data-report-job="${name}"]`);
  const show = (name, text) => {
    const element = part(name);
    if (element && text !== undefined && element.textContent !== text) {
      element.textContent = text;
    }
  };
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const state = await response.json();
        if (!state.running) {
          window.location.reload();
          return;
        }
        show("message", state.message);
        show("waited", state.waited);
        show("advice", state.advice);
        const advice = part("advice");
        if (advice) advice.hidden = !state.advice;
        const cancel = part("cancel");
        if (cancel) cancel.hidden = !state.can_cancel;
      }
    } catch (error) {
      // A dropped request is retried on the next tick.
    }
    window.setTimeout(poll, 1500);
  };
  window.setTimeout(poll, 1500);
}
