// Starts Swagger UI on /api/docs from a file of our own, so the page needs no inline script
// (the Content-Security-Policy allows only the app's own scripts).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({url: root.getAttribute("data-spec-url"), dom_id: "#swagger-ui"});
})();
