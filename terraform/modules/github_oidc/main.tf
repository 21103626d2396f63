# The GitHub Actions role (.github/workflows/deploy-*.yml): GitHub's OIDC
# token is exchanged for short-lived credentials of this role, so no AWS
# key is stored anywhere.  It may do only what the two deployment
# workflows do: push the API image, register task definitions (passing the
# two ECS roles), start and watch CodeDeploy deployments, sync the frontend
# bucket and invalidate the distribution.

locals {
  codedeploy_arn = "arn:aws:codedeploy:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}"
  oidc_host      = "token.actions.githubusercontent.com"
  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : (
    "arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/${local.oidc_host}"
  )
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

# One per account: staging in the production account reuses it
# (create_oidc_provider = false).
resource "aws_iam_openid_connect_provider" "github" {
  count          = var.create_oidc_provider ? 1 : 0
  url            = "https://${local.oidc_host}"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    # Only jobs of this repository that run in the GitHub environment of
    # this name (a job that names an environment gets the subject
    # repo:OWNER/NAME:environment:ENV, whatever its branch).  Not "any job
    # on main": any workflow file on main could then take the production
    # role.  The environment's protection rules say who may deploy: its
    # deployment branches (main only) and, for production, its required
    # reviewers (docs/operations.md, "GitHub").  Exact match, no wildcard.
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:sub"
      values   = ["repo:${var.github_repository}:environment:${var.github_environment}"]
    }
  }
}

resource "aws_iam_role" "github" {
  name                 = "${var.name}-github-deploy"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "EcrPush"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:DescribeImageScanFindings",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [var.ecr_repository_arn]
  }

  # Task definitions have no resource-level permissions for these.
  statement {
    sid = "TaskDefinitions"
    actions = [
      "ecs:DescribeTaskDefinition",
      "ecs:RegisterTaskDefinition",
      "ecs:ListTaskDefinitions",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "TheService"
    actions   = ["ecs:DescribeServices"]
    resources = ["arn:aws:ecs:*:${data.aws_caller_identity.current.account_id}:service/${var.cluster_name}/${var.service_name}"]
  }

  statement {
    sid       = "PassTheTaskRoles"
    actions   = ["iam:PassRole"]
    resources = var.pass_role_arns

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  # CodeDeploy, on this application, its deployment group and the one
  # deployment configuration it uses: nothing else in the account.
  statement {
    sid = "CodeDeployDeployments"
    actions = [
      "codedeploy:CreateDeployment",
      "codedeploy:GetDeployment",
      "codedeploy:GetDeploymentGroup",
      "codedeploy:StopDeployment",
    ]
    resources = ["${local.codedeploy_arn}:deploymentgroup:${var.codedeploy_app_name}/${var.codedeploy_group_name}"]
  }

  statement {
    sid = "CodeDeployApplication"
    actions = [
      "codedeploy:GetApplication",
      "codedeploy:GetApplicationRevision",
      "codedeploy:RegisterApplicationRevision",
    ]
    resources = ["${local.codedeploy_arn}:application:${var.codedeploy_app_name}"]
  }

  statement {
    sid       = "CodeDeployConfig"
    actions   = ["codedeploy:GetDeploymentConfig"]
    resources = ["${local.codedeploy_arn}:deploymentconfig:${var.deployment_config_name}"]
  }

  statement {
    sid       = "FrontendBucketList"
    actions   = ["s3:ListBucket"]
    resources = [var.frontend_bucket_arn]
  }

  statement {
    sid       = "FrontendBucketObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.frontend_bucket_arn}/*"]
  }

  statement {
    sid       = "Invalidate"
    actions   = ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"]
    resources = [var.distribution_arn]
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy"
  role   = aws_iam_role.github.id
  policy = data.aws_iam_policy_document.deploy.json
}
