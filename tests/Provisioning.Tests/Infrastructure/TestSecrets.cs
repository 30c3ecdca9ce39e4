namespace Provisioning.Tests.Infrastructure;

/// <summary>Secrets the test systems are configured with, so tests can sign what they send.</summary>
public static class TestSecrets
{
    public const string StripeWebhookSecret = "whsec_test_c3RyaXBlLXdlYmhvb2stc2VjcmV0LWZvci10ZXN0cw";

    public const string GitHubToken = "ghp_test_token_for_the_actions_simulator";

    /// <summary>A second, older Stripe secret still accepted during rotation.</summary>
    public const string StripeWebhookSecretPrevious = "whsec_test_b2xkZXItc3RyaXBlLXNlY3JldC1yb3RhdGVk";

    /// <summary>The Standard Webhooks secret the provisioning workflow signs its callbacks with (32 bytes, base64).</summary>
    public const string CallbackSecret = "whsec_Y2FsbGJhY2stc2VjcmV0LWZvci10aGUtdGVzdHMtMzI=";

    /// <summary>An older callback secret, still accepted while the secret is rotated.</summary>
    public const string CallbackSecretPrevious = "whsec_cHJldmlvdXMtY2FsbGJhY2stc2VjcmV0LXJvdGF0ZWQ=";

    /// <summary>The secret of the GitHub repository webhook that sends <c>workflow_run</c> events.</summary>
    public const string GitHubWebhookSecret = "github-webhook-secret-for-the-tests";

    /// <summary>The name of the operator whose key is <see cref="OperatorKey"/>: history shows it as the actor.</summary>
    public const string OperatorName = "alice";

    public const string OperatorKey = "op_test_alice_6f1c2d9e8b7a4c3d";

    /// <summary>A second operator, so tests can tell whose name history records.</summary>
    public const string SecondOperatorName = "bob";

    public const string SecondOperatorKey = "op_test_bob_0a9b8c7d6e5f4a3b";
}
