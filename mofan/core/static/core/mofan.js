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
  // <select data-picker-url="…">: a searchable picker (core/widgets.py). The server searches
  // (names, short names, aliases, pinyin initials, codes) within what the user may choose.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function pickers(root) {
    if (typeof window.TomSelect !== "function") return;  // without it the <select> still works
    root.querySelectorAll("select[data-picker-url]").forEach(function (select) {
      if (select.tomselect) return;
      // Tom Select points the label at its own input; the <select> keeps the label's words.
      const label = select.id && document.querySelector('label[for="' + select.id + '"]');
      if (label && !select.hasAttribute("aria-label")) {
        select.setAttribute("aria-label", label.textContent.trim());
      }
      const url = select.dataset.pickerUrl;
      const join = url.indexOf("?") < 0 ? "?" : "&";
      // What the server sent for the words typed last: only those are offered (the options
      // loaded for earlier words stay in Tom Select's cache and must not show, or Enter would
      // take one of them). null: nothing typed yet, every loaded option shows.
      let matched = null;
      new window.TomSelect(select, {
        valueField: "value",
        labelField: "text",
        searchField: [],  // the server has matched already (pinyin included)
        score: function () {
          return function (item) { return matched === null || matched.has(String(item.value)) ? 1 : 0; };
        },
        maxOptions: 50,
        // a choice closes the list, which would otherwise cover the buttons below (a multiple
        // picker: type again to add another)
        closeAfterSelect: true,
        loadThrottle: 250,
        // The list is drawn again as soon as the words change (empty until the server answers),
        // never showing the last words' matches for Enter to take.
        refreshThrottle: 0,
        preload: "focus",
        // Called as the words change, before the list is drawn again: until the server
        // answers, nothing is offered (Tom Select keeps a list per query; see load below).
        shouldLoad: function () { matched = new Set(); return true; },
        allowEmptyOption: false,
        placeholder: select.dataset.placeholder,
        plugins: select.multiple
          ? { remove_button: { title: "移除" } }
          : (select.required ? {} : { clear_button: { title: "清除" } }),
        load: function (query, callback) {
          const picker = this;
          fetch(url + join + "q=" + encodeURIComponent(query), { credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.json() : { results: [] }; })
            .then(function (data) {
              matched = new Set(data.results.map(function (r) { return String(r.value); }));
              picker.clearOptions();  // keeps the chosen ones; marks the list to be drawn anew
              callback(data.results);
            })
            .catch(function () { callback(); });
        },
        render: {
          option: function (item) {
            const hint = item.hint ? '<span class="text-secondary small ms-2">' + escapeHtml(item.hint) + "</span>" : "";
            return "<div>" + escapeHtml(item.text) + hint + "</div>";
          },
          item: function (item) { return "<div>" + escapeHtml(item.text) + "</div>"; },
          no_results: function () { return '<div class="no-results">没有找到，换个写法或拼音首字母试试</div>'; },
          loading: function () { return '<div class="p-2 text-secondary">正在查找……</div>'; },
        },
      });
    });
  }

  // <input type=file>: the browser words its button in the system's language ("Choose File");
  // a Chinese button and the chosen names beside it, the input itself kept for keyboard and
  // screen readers (visually hidden, focusable through its label).
  let fileCount = 0;
  function fileInputs(root) {
    root.querySelectorAll('input[type="file"]:not([data-cn-file])').forEach(function (input) {
      input.dataset.cnFile = "1";
      if (!input.id) input.id = "mofan-file-" + (++fileCount);
      const box = document.createElement("div");
      box.className = "d-flex align-items-center gap-2 cn-file";
      const button = document.createElement("label");
      button.className = "btn btn-outline-secondary btn-sm mb-0";
      button.htmlFor = input.id;
      button.textContent = input.multiple ? "选择文件（可多选）" : "选择文件";
      const chosen = document.createElement("span");
      chosen.className = "small text-secondary text-truncate";
      chosen.textContent = "未选择文件";
      input.classList.add("visually-hidden");
      input.parentNode.insertBefore(box, input);
      box.appendChild(input);
      box.appendChild(button);
      box.appendChild(chosen);
      input.addEventListener("change", function () {
        const names = Array.prototype.map.call(input.files, function (f) { return f.name; });
        chosen.textContent = names.length ? names.join("、") : "未选择文件";
      });
      input.addEventListener("focus", function () { button.classList.add("active"); });
      input.addEventListener("blur", function () { button.classList.remove("active"); });
    });
  }

  // <input type=date|datetime-local>: the native picker is worded in the browser's language
  // (mm/dd/yyyy in an English browser); flatpickr shows a Chinese calendar on desktops, keeps
  // the field typeable and the value in the format the server reads; phones keep their own.
  function datePickers(root) {
    if (typeof window.flatpickr !== "function") return;  // without it the native input works
    if (window.matchMedia("(pointer: coarse)").matches) return;  // phones: their own picker
    const formats = {  // the value the server reads, and what the empty field says
      date: ["Y-m-d", "年-月-日"],
      "datetime-local": ["Y-m-d\\TH:i", "年-月-日 时:分"],
      time: ["H:i", "时:分"],  // 24-hour, not an English browser's 02:30 PM
    };
    root.querySelectorAll('input[type="date"], input[type="datetime-local"], input[type="time"]').forEach(function (input) {
      if (input._flatpickr) return;
      const kind = input.type;
      const options = {
        locale: Object.assign({}, window.flatpickr.l10ns.zh, { firstDayOfWeek: 1 }),
        allowInput: true,
        time_24hr: true,
        enableTime: kind !== "date",
        noCalendar: kind === "time",
        dateFormat: formats[kind][0],
        minDate: kind === "time" ? null : input.min || null,
        maxDate: kind === "time" ? null : input.max || null,
      };
      input.type = "text";  // one calendar, not the browser's under flatpickr's
      input.placeholder = input.placeholder || formats[kind][1];
      input.autocomplete = "off";
      window.flatpickr(input, Object.assign(options, { disableMobile: true }));
    });
  }

  // <input data-month>: a month typed as 2026-11, or picked from a Chinese month grid where the
  // page loads flatpickr's month plugin (the field stays typeable; phones type it).
  function monthPickers(root) {
    if (typeof window.flatpickr !== "function" || typeof window.monthSelectPlugin !== "function") return;
    if (window.matchMedia("(pointer: coarse)").matches) return;
    root.querySelectorAll("input[data-month]").forEach(function (input) {
      if (input._flatpickr) return;
      input.autocomplete = "off";
      window.flatpickr(input, {
        locale: window.flatpickr.l10ns.zh,
        allowInput: true,
        disableMobile: true,
        maxDate: input.dataset.max ? input.dataset.max + "-01" : null,
        plugins: [new window.monthSelectPlugin({ shorthand: true, dateFormat: "Y-m", theme: "light" })],
      });
    });
  }

  // <button data-formset-add="prefix"> inside a form with a Django formset: a new row from the
  // form's <template data-formset-empty>, numbered in place of __prefix__, its pickers and date
  // fields set up like the others.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-formset-add]");
    if (!button) return;
    const form = button.form || button.closest("form");
    const prefix = button.dataset.formsetAdd;
    const total = form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    const max = form.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    const count = parseInt(total.value, 10);
    if (max && count >= parseInt(max.value, 10)) return;
    const template = form.querySelector("template[data-formset-empty]");
    const holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(count));
    const row = holder.firstElementChild;
    form.querySelector("[data-formset-rows]").appendChild(row);
    total.value = String(count + 1);
    enhance(row);
    const first = row.querySelector("textarea, input:not([type=hidden])");
    if (first) first.focus();
  });

  function enhance(root) { sizeBars(root); pickers(root); fileInputs(root); datePickers(root); monthPickers(root); }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
