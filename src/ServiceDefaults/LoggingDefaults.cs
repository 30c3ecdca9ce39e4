using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Provisioning.ServiceDefaults;

public static class LoggingDefaults
{
    /// <summary>
    /// The log levels a service starts with: the project's own events at Information, and the frameworks' per-request
    /// chatter (ASP.NET Core's request lines, HttpClient's, Polly's per-placement lines from Orleans) only from Warning.
    /// They sit below every other configuration source, so <c>Logging__LogLevel__&lt;category&gt;</c> still overrides each.
    /// </summary>
    public static IConfigurationBuilder AddLogLevelDefaults(this IConfigurationBuilder configuration)
    {
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
                ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
                ["Logging:LogLevel:Polly"] = "Warning",
            },
        });
        return configuration;
    }
}
