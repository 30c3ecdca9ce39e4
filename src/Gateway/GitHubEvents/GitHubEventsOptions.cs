namespace Provisioning.Gateway.GitHubEvents;

/// <summary>How the gateway checks GitHub's own webhook deliveries. Bound from the <c>GitHub</c> section.</summary>
public sealed class GitHubEventsOptions
{
    public const string Section = "GitHub";

    /// <summary>The configuration key of the secret, as messages and docs name it.</summary>
    public const string SecretKey = "GitHub:WebhookSecret";

    /// <summary>
    /// <c>GitHub:WebhookSecret</c>: the secret of the repository webhook that sends <c>workflow_run</c> events
    /// (environment variable <c>GitHub__WebhookSecret</c>). Optional: without it <c>POST /api/webhooks/github/events</c>
    /// answers 503 "not configured", and stalled runs are caught by the watchdog alone.
    /// </summary>
    public string? WebhookSecret { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(WebhookSecret);
}
