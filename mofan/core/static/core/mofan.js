// What the pages do in the browser, from data- attributes: the Content-Security-Policy allows no
// inline script or event handler. Handlers are on the document, so content htmx swaps in works too.
(function () {
  "use strict";

  // <select data-autosubmit>: choosing a value submits its form (filters, the year).
  document.addEventListener("change", function (event) {
    const field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.requestSubmit();
  });

  // <button data-confirm="…"> or <form data-confirm="…">: go on only if the user confirms.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    // <button data-print>: print the page.
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    // <button data-toggle-children="id">: a tree node's ▸/▾ shows or hides its children.
    const toggle = event.target.closest("[data-toggle-children]");
    if (toggle) {
      const open = toggle.textContent.trim() === "▸";
      toggle.textContent = open ? "▾" : "▸";
      toggle.setAttribute("aria-expanded", String(open));
      const children = document.getElementById(toggle.dataset.toggleChildren);
      if (children) children.classList.toggle("d-none", !open);
    }
  });

  // <div data-width-percent="40">: a progress bar's width (style attributes are refused too).
  function sizeBars(root) {
    root.querySelectorAll("[data-width-percent]").forEach(function (bar) {
      bar.style.width = bar.dataset.widthPercent + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { sizeBars(document); });
  document.addEventListener("htmx:load", function (event) { sizeBars(event.target); });
})();
