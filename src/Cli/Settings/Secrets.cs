namespace Provisioning.Cli.Settings;

/// <summary>The secrets each command needs, by the names the gateway, the workflow and <c>./run.sh</c> use for them.</summary>
public static class Secrets
{
    public const string OperatorKeyVariable = "PROVISIONING_OPERATOR_KEY";

    public const string OperatorKeysPrefix = "Gateway__OperatorKeys__";

    public const string CallbackSecretVariable = "PROVISIONING_CALLBACK_SECRET";

    /// <summary>The Stripe webhook signing secret: the option, else <c>Stripe__WebhookSecrets__0</c> or <c>STRIPE_WEBHOOK_SECRET</c>.</summary>
    public static string StripeWebhookSecret(LocalSettings settings, string? option) =>
        Trimmed(option) ?? settings.Get("Stripe__WebhookSecrets__0", "STRIPE_WEBHOOK_SECRET")
        ?? throw CliException.Usage(
            $"no Stripe webhook secret: give it with {settings.Sources("--webhook-secret", "Stripe__WebhookSecrets__0 (or STRIPE_WEBHOOK_SECRET)")}");

    /// <summary>
    /// The workflow callback secret: the option, else <c>PROVISIONING_CALLBACK_SECRET</c> (the workflow's name for it),
    /// <c>Callbacks__Secrets__0</c> or <c>GITHUB_CALLBACK_SECRET</c>.
    /// </summary>
    public static string CallbackSecret(LocalSettings settings, string? option) =>
        Trimmed(option) ?? settings.Get(CallbackSecretVariable, "Callbacks__Secrets__0", "GITHUB_CALLBACK_SECRET")
        ?? throw CliException.Usage(
            $"no callback secret: give it with {settings.Sources("--secret", $"{CallbackSecretVariable} (or Callbacks__Secrets__0)")}");

    /// <summary>The operator key if one is set anywhere: the option, <c>PROVISIONING_OPERATOR_KEY</c>, else the first <c>Gateway__OperatorKeys__*</c>.</summary>
    public static string? OperatorKey(LocalSettings settings, string? option) =>
        Trimmed(option) ?? settings.Get(OperatorKeyVariable) ?? settings.GetFirstWithPrefix(OperatorKeysPrefix);

    /// <summary>The operator key, which an operator action cannot do without.</summary>
    public static string RequiredOperatorKey(LocalSettings settings, string? option) =>
        OperatorKey(settings, option)
        ?? throw CliException.Usage(
            $"no operator key: give it with {settings.Sources("--operator-key", $"{OperatorKeyVariable} (or Gateway__OperatorKeys__<name>)")}");

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
