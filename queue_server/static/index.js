/* The home page (/): opens a counter screen or a ticket's status page by the number or
 * token typed. */
(function () {
  "use strict";
  document.getElementById("counter-screen-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var id = parseInt(document.getElementById("counter-screen-id").value, 10);
    if (id > 0) location.href = "/display/counter/" + id;
  });
  document.getElementById("status-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var token = document.getElementById("status-token").value.trim();
    if (token) location.href = "/t/" + encodeURIComponent(token);
  });
})();
