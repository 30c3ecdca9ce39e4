using Microsoft.Extensions.Configuration;

namespace Provisioning.ServiceDefaults;

/// <summary>
/// The environment variables of the Next.js app this service replaces, accepted as aliases so that its deployment's
/// settings work unchanged. An alias is used only when its key is not set. The gateway's secrets
/// (<c>STRIPE_WEBHOOK_SECRET</c>, <c>GITHUB_CALLBACK_SECRET</c>) are read by their own options, next to their other secrets.
/// </summary>
public static class LegacySettings
{
    public static readonly IReadOnlyList<(string Variable, string Key)> Aliases =
    [
        ("GITHUB_PAT", "GitHub:Token"),
        ("GITHUB_REPO_OWNER", "GitHub:Owner"),
        ("GITHUB_REPO_NAME", "GitHub:Repo"),
        ("NEXT_PUBLIC_APP_URL", "Gateway:PublicUrl"),
        ("STRIPE_SECRET_KEY", "Stripe:ApiKey"),
    ];

    public static IConfigurationManager AddLegacyAliases(this IConfigurationManager configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (variable, key) in Aliases)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrWhiteSpace(value) && string.IsNullOrWhiteSpace(configuration[key]))
            {
                values[key] = value;
            }
        }

        if (values.Count > 0)
        {
            configuration.AddInMemoryCollection(values);
        }

        return configuration;
    }
}
