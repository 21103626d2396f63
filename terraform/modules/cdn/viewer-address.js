// CloudFront Function (viewer request) on the API's behaviours: the
// viewer's IP address, as CloudFront sees it, in X-Plccoach-Viewer-Address,
// replacing whatever the viewer sent under that name.  nginx in the task
// takes the client address from it, and only from the ALB with
// CloudFront's origin secret (conf/nginx/fargate.conf): the per-address
// sign-in throttle and the audit log see the viewer, not CloudFront's edge.
// (CloudFront-Viewer-Address would carry the port too, in a form nginx
// misreads for IPv6.)
function handler(event) {
    var request = event.request;
    request.headers['x-plccoach-viewer-address'] = { value: event.viewer.ip };
    return request;
}
