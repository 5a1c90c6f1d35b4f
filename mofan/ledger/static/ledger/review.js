// The review page of a decomposition without the mouse: J/K move to the next/previous candidate,
// A accepts it, X rejects it, E opens its edit form, Esc closes the form. A decision moves on to
// the next candidate once htmx has swapped the card in, and the document's marks take the new
// status. Esc drops what was typed in the form. Keys typed into a field are left alone.
(function () {
  "use strict";
  const list = document.querySelector("[data-review-keys]");
  if (!list) return;
  let current = null; // the id of the chosen card
  let advance = false;

  function cards() { return Array.from(list.querySelectorAll("[data-testid=candidate]")); }

  function choose(card) {
    list.querySelectorAll(".candidate-current").forEach((el) => el.classList.remove("candidate-current"));
    document.querySelectorAll(".source-current, .source-mark-current").forEach(function (el) {
      el.classList.remove("source-current", "source-mark-current");
    });
    if (!card) return;
    current = card.id;
    card.classList.add("candidate-current");
    focusCard(card);
    const locate = card.querySelector(".candidate-locate");
    const paragraph = locate && document.querySelector(locate.getAttribute("href"));
    // the candidate's own words stand out; its paragraph only faintly, as its neighbours may
    // hold other candidates
    const marks = document.querySelectorAll(`.source-mark[href$="#${card.id}"]`);
    marks.forEach((mark) => mark.classList.add("source-mark-current"));
    if (paragraph) paragraph.classList.add("source-current");
    const target = marks[0] || paragraph;
    // the cards before and after it in view; a card taller than the screen from its top
    const fits = card.getBoundingClientRect().height <= window.innerHeight;
    card.scrollIntoView({ block: fits ? "center" : "start" });
    // beside the cards (a wide screen) the text pane scrolls to the candidate's words; on a phone
    // the text stands below the cards in the same page, and scrolling there would take the card
    // out of view (定位原文 leads there)
    const pane = document.querySelector(".decompose-pane");
    if (target && pane && getComputedStyle(pane).overflowY !== "visible") {
      target.scrollIntoView({ block: "nearest" });
    }
  }

  // The card keeps the focus (a save with Enter swaps the form away), without a jump.
  function focusCard(card) {
    if (!card.hasAttribute("tabindex")) card.setAttribute("tabindex", "-1");
    card.focus({ preventScroll: true });
  }

  // Past the last candidate: say so, and lead on to 生成督办事项.
  function atEnd() {
    const commit = document.querySelector("[data-testid=commit-form]");
    let notice = document.getElementById("review-end");
    if (!notice) {
      notice = document.createElement("div");
      notice.id = "review-end";
      notice.className = "alert alert-info mb-2";
      notice.setAttribute("role", "status");
      notice.dataset.testid = "review-end";
      (commit || list).prepend(notice);
    }
    const pending = cards().filter((card) => card.dataset.status === "pending").length;
    notice.textContent = pending
      ? `已是最后一个条目，还有 ${pending} 个待审核条目（按 K 返回上一个）。`
      : "已是最后一个条目，全部条目都已审核：可以生成督办事项了。";
    if (commit) {
      commit.scrollIntoView({ block: "center" });
      const button = commit.querySelector("button[type=submit]");
      if (button && !pending) button.focus({ preventScroll: true });
    }
  }

  function step(by) {
    const all = cards();
    if (!all.length) return;
    const at = all.findIndex((card) => card.id === current);
    if (by > 0 && at === all.length - 1) { atEnd(); return; }
    const next = at < 0 ? 0 : Math.min(Math.max(at + by, 0), all.length - 1);
    choose(all[next]);
  }

  function decide(status) {
    const card = current && document.getElementById(current);
    if (!card) return;
    const field = card.querySelector(`input[name=what][value=${status}]`);
    if (!field) return; // the card offers no such button in its state
    advance = true;
    field.form.requestSubmit();
  }

  // The marks in the document take the colour of their candidate's new status.
  function syncMarks() {
    cards().forEach(function (card) {
      document.querySelectorAll(`.source-mark[href$="#${card.id}"]`).forEach(function (mark) {
        mark.className = mark.className.replace(/\bstatus-\S+/, `status-${card.dataset.status}`);
      });
    });
  }

  // Closing a card's edit form drops what was typed and closes its date picker.
  function closeForms(card) {
    card.querySelectorAll("details[open]").forEach(function (details) {
      details.querySelectorAll("form").forEach((form) => form.reset());
      details.querySelectorAll("input").forEach(function (input) {
        if (input._flatpickr) input._flatpickr.close();
      });
      details.open = false;
    });
  }

  document.body.addEventListener("htmx:afterSettle", function () {
    syncMarks();
    const card = current && document.getElementById(current);
    if (card) {
      card.classList.add("candidate-current");
      if (!card.contains(document.activeElement)) focusCard(card);
    }
    if (advance) { advance = false; step(1); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "Escape") {
      const card = current && document.getElementById(current);
      if (card) closeForms(card);
      if (typing) event.target.blur();
      return;
    }
    if (typing) return;
    const key = event.key.toLowerCase();
    if (key === "j") step(1);
    else if (key === "k") step(-1);
    else if (key === "a") decide("accepted");
    else if (key === "x") decide("rejected");
    else if (key === "e") {
      const card = current && document.getElementById(current);
      const details = card && card.querySelector("details");
      if (!details) return;
      details.open = true;
      const text = details.querySelector("textarea");
      if (text) {
        text.focus();
        text.setSelectionRange(text.value.length, text.value.length); // typing goes on at the end
      }
    } else return;
    event.preventDefault();
  });

  // 定位原文 jumps to the paragraph; on a phone the cards stand above the text, so a button
  // leads back to the card it came from.
  let back = null;
  function hideBack() { if (back) back.classList.add("d-none"); }
  list.addEventListener("click", function (event) {
    const locate = event.target.closest(".candidate-locate");
    if (!locate) return;
    const card = locate.closest("[data-testid=candidate]");
    if (!card) return;
    if (!back) {
      back = document.createElement("button");
      back.type = "button";
      back.className = "btn btn-primary shadow back-to-card";
      back.dataset.testid = "back-to-card";
      back.addEventListener("click", function () {
        const target = document.getElementById(back.dataset.card);
        if (target) choose(target);
        hideBack();
      });
      document.body.append(back);
    }
    back.dataset.card = card.id;
    back.textContent = `返回条目 ${card.dataset.number || ""}`.trim();
    back.classList.remove("d-none");
  });
  document.addEventListener("keydown", function (event) {
    if (["j", "k", "J", "K"].includes(event.key)) hideBack();
  });

  list.addEventListener("click", function (event) {
    const card = event.target.closest("[data-testid=candidate]");
    if (card && !event.target.closest("a, button, input, textarea, select, summary")) choose(card);
  });
})();
