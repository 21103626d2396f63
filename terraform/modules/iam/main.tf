# Section 7 of the infrastructure document, IAM: the ECS task execution
# role (pull from ECR, write the task's logs, read its secrets) and the
# task role (what the running application may do), each least privilege;
# and the admin task's pair, for operators (../compute, "admin").

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# ---- Execution role: used by the ECS agent before the container starts ----

resource "aws_iam_role" "execution" {
  name               = "${var.name}-ecs-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

# ECR pull (GetAuthorizationToken, BatchGetImage, ...) and CloudWatch Logs
# (CreateLogStream, PutLogEvents): AWS's managed policy says exactly that.
resource "aws_iam_role_policy_attachment" "execution_managed" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

# The service's secrets: the application role's and the migration role's
# credentials, the API keys, CloudFront's origin secret.  Not the master
# user's: only the admin task has that.
data "aws_iam_policy_document" "execution_secrets" {
  statement {
    sid       = "ReadTheTaskSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = var.secret_arns
  }

  statement {
    sid       = "DecryptThem"
    actions   = ["kms:Decrypt"]
    resources = [var.secrets_kms_key_arn]
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "read-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

# ---- Task role: the application itself -------------------------------------
# Only what the code does (src/storage): PUT, GET and DELETE of objects in
# the content and exports buckets (ListBucket so that a missing object is a
# 404, not a 403), and the S3 key for SSE-KMS.  The secrets reach the
# process through the execution role; logs through the awslogs driver;
# there is no ECS Exec on the service's read-only root.

resource "aws_iam_role" "task" {
  name               = "${var.name}-ecs-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "ListContentAndExports"
    actions   = ["s3:ListBucket"]
    resources = [var.content_bucket_arn, var.exports_bucket_arn]
  }

  statement {
    sid       = "ObjectsInContentAndExports"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.content_bucket_arn}/*", "${var.exports_bucket_arn}/*"]
  }

  statement {
    sid       = "TheS3Key"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.s3_kms_key_arn]
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "application"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# ---- The admin task (operators): ../compute's NAME-admin ---------------------

resource "aws_iam_role" "admin_execution" {
  name               = "${var.name}-ecs-admin-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "admin_execution_managed" {
  role       = aws_iam_role.admin_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

# The service's secrets and the master user's.
data "aws_iam_policy_document" "admin_execution_secrets" {
  statement {
    sid       = "ReadTheAdminSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = concat(var.secret_arns, [var.master_secret_arn])
  }

  statement {
    sid       = "DecryptThem"
    actions   = ["kms:Decrypt"]
    resources = [var.secrets_kms_key_arn]
  }
}

resource "aws_iam_role_policy" "admin_execution_secrets" {
  name   = "read-secrets"
  role   = aws_iam_role.admin_execution.id
  policy = data.aws_iam_policy_document.admin_execution_secrets.json
}

resource "aws_iam_role" "admin_task" {
  name               = "${var.name}-ecs-admin-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

# What `plccoach ingest`, `books remove` and the other commands do (the
# application's S3 rights), and ECS Exec's channels for an operator's shell
# or port forward.  ssmmessages has no resources to name: "*" is the only
# form it takes.
data "aws_iam_policy_document" "admin_task" {
  source_policy_documents = [data.aws_iam_policy_document.task.json]

  statement {
    sid = "EcsExec"
    actions = [
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "admin_task" {
  name   = "admin"
  role   = aws_iam_role.admin_task.id
  policy = data.aws_iam_policy_document.admin_task.json
}
