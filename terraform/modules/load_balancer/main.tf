# Section 6 of the infrastructure document: the internet-facing ALB in the
# public subnets (HTTP/2, cross-zone, deletion protection), HTTPS on 443
# with the ACM certificate, HTTP 80 answering 301 to HTTPS, and the two
# target groups that CodeDeploy swaps for blue/green deployments, both
# checking GET /health/ready: readiness, which never asks the database (a
# shared outage must not get every task replaced; docs/operations.md,
# "Health").

resource "aws_lb" "main" {
  name                             = "${var.name}-alb"
  internal                         = false
  load_balancer_type               = "application"
  security_groups                  = [var.alb_security_group_id]
  subnets                          = var.public_subnet_ids
  enable_http2                     = true
  enable_cross_zone_load_balancing = true
  enable_deletion_protection       = true
  drop_invalid_header_fields       = true
  # Below nginx's keepalive_timeout (75 s, conf/nginx/fargate.conf), so
  # nginx never closes a connection the ALB is about to reuse.
  idle_timeout = 60

  # The document's "Access logging for S3 and ALB".
  access_logs {
    enabled = true
    bucket  = var.logs_bucket
    prefix  = "alb"
  }
}

resource "aws_lb_target_group" "blue" {
  name                 = "${var.name}-api-blue"
  port                 = 8000
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    path                = "/health/ready"
    protocol            = "HTTP"
    matcher             = "200"
    healthy_threshold   = 2
    unhealthy_threshold = 3
    interval            = 30
    timeout             = 5
  }
}

resource "aws_lb_target_group" "green" {
  name                 = "${var.name}-api-green"
  port                 = 8000
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    path                = "/health/ready"
    protocol            = "HTTP"
    matcher             = "200"
    healthy_threshold   = 2
    unhealthy_threshold = 3
    interval            = 30
    timeout             = 5
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.main.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.blue.arn
  }

  lifecycle {
    # CodeDeploy moves the listener between blue and green.
    ignore_changes = [default_action]
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.main.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
