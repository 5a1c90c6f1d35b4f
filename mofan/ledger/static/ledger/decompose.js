// The upload page: a pasted text larger than the server reads in one form is stopped here,
// before it is sent, so the text stays in the box and the message says what to do instead.
(function () {
  "use strict";
  const form = document.querySelector("form[data-max-bytes]");
  if (!form) return;
  const limit = Number(form.dataset.maxBytes);
  const box = form.querySelector("textarea[name=pasted]");
  const notice = document.createElement("div");
  notice.className = "alert alert-danger d-none";
  notice.setAttribute("role", "alert");
  notice.dataset.testid = "paste-too-large";
  form.prepend(notice);
  form.addEventListener("submit", (event) => {
    const size = new TextEncoder().encode(box ? box.value : "").length;
    if (size <= limit) return;
    event.preventDefault();
    notice.textContent =
      `粘贴的正文有 ${box.value.length.toLocaleString("zh-CN")} 字（${(size / 1024 / 1024).toFixed(2)} MB），` +
      `超过一次可提交的 ${(limit / 1024 / 1024).toFixed(2)} MB（约 ${Math.floor(limit / 3 / 10000)} 万字）。` +
      "请改为上传文件（不超过 20 MB）；正文仍保留在文本框中。";
    notice.classList.remove("d-none");
    notice.scrollIntoView({ block: "center" });
  });
})();
