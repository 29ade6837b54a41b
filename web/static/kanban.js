// Kanban drag and drop: a dropped card asks the API to move the lead (If-Match: its version);
// the rules live on the server, so a refused move shows the server's message. Without
// JavaScript each card's Move form does the same through the page.
(function () {
  "use strict";
  var board = document.querySelector("[data-kanban]");
  if (!board || !window.chainlead) { return; }
  var status = document.getElementById("kanban-status");
  var dragged = null;

  function say(text) {
    status.textContent = text;
    status.hidden = false;
  }

  function columns() { return board.querySelectorAll(".kanban-col"); }

  function move(card, to) {
    var body = {to: to};
    if (to === "signed" && card.dataset.moves.split(" ").indexOf("signed") >= 0) {
      window.location.href = card.dataset.signUrl;
      return;
    }
    if (to === "dropped") {
      var reason = window.prompt(board.dataset.reasonPrompt);
      if (reason === null) { return; }
      body.reason = reason;
    }
    window.chainlead.api("POST", card.dataset.api, body, '"v' + card.dataset.version + '"').then(function (response) {
      if (response.ok) { window.location.reload(); return; }
      return response.json().then(function (error) {
        say(board.dataset.refused + " " + (error.message || response.status));
      });
    }).catch(function () { say(board.dataset.networkError); });
  }

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".kanban-card[draggable=true]");
    if (!card) { return; }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.id);
    var moves = card.dataset.moves.split(" ");
    columns().forEach(function (col) {
      col.classList.toggle("drop-ok", moves.indexOf(col.dataset.stage) >= 0);
    });
  });
  board.addEventListener("dragend", function () {
    dragged = null;
    columns().forEach(function (col) { col.classList.remove("drop-ok", "drop-target"); });
  });
  board.addEventListener("dragover", function (event) {
    var col = event.target.closest && event.target.closest(".kanban-col");
    if (!dragged || !col || col.dataset.stage === dragged.dataset.stage) { return; }
    event.preventDefault();
    col.classList.add("drop-target");
  });
  board.addEventListener("dragleave", function (event) {
    var col = event.target.closest && event.target.closest(".kanban-col");
    if (col && !col.contains(event.relatedTarget)) { col.classList.remove("drop-target"); }
  });
  board.addEventListener("drop", function (event) {
    var col = event.target.closest && event.target.closest(".kanban-col");
    if (!dragged || !col || col.dataset.stage === dragged.dataset.stage) { return; }
    event.preventDefault();
    var card = dragged;
    col.classList.remove("drop-target");
    move(card, col.dataset.stage);
  });
})();
