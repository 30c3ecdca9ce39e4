namespace Provisioning.Tests.Infrastructure;

/// <summary>Secrets the test systems are configured with, so tests can sign what they send.</summary>
public static class TestSecrets
{
    public const string StripeWebhookSecret = "whsec_test_c3RyaXBlLXdlYmhvb2stc2VjcmV0LWZvci10ZXN0cw";

    /// <summary>A second, older secret still accepted during rotation.</summary>
    public const string GitHubToken = "ghp_test_token_for_the_actions_simulator";

    public const string StripeWebhookSecretPrevious = "whsec_test_b2xkZXItc3RyaXBlLXNlY3JldC1yb3RhdGVk";
}
