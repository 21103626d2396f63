// CloudFront Function (viewer request) on the frontend bucket's default
// behaviour only: a path that names no file (no extension) and is not under
// /assets/ is a client-side route of the single-page app, so it is served
// /index.html — the CloudFront twin of nginx's `try_files $uri /index.html`
// (conf/nginx/spa_locations.conf).  It replaces a distribution-wide 404 →
// /index.html error page, which would also turn the API's JSON 404s
// (/api/* goes to the ALB through the same distribution) into HTML.
function handler(event) {
    var request = event.request;
    var uri = request.uri;
    if (uri.indexOf('/assets/') === 0) {
        return request;
    }
    var last = uri.substring(uri.lastIndexOf('/') + 1);
    if (last.indexOf('.') === -1) {
        request.uri = '/index.html';
    }
    return request;
}
