// While a report is being issued, show the background job's progress and reload the
// page when it is done. Without JavaScript the page has a "Check progress" link.
const message = document.querySelector("[data-report-progress-url]");
if (message) {
  const url = message.dataset.reportProgressUrl;
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const state = await response.json();
        if (!state.running) {
          window.location.reload();
          return;
        }
        if (state.message && state.message !== message.textContent) {
          message.textContent = state.message;
        }
      }
    } catch (error) {
      // A dropped request is retried on the next tick.
    }
    window.setTimeout(poll, 1500);
  };
  window.setTimeout(poll, 1500);
}
