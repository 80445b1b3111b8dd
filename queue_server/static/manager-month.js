/* The month on one screen (/manager/month): the print button (the page has a print
 * stylesheet: one landscape A4 sheet for the committee). */
(function () {
  var button = document.getElementById("print-month");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
