using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Provisioning.ServiceDefaults;

public static class HostRunner
{
    /// <summary>
    /// Runs the host until it is stopped (Ctrl-C or SIGTERM). A configuration error found at start is printed,
    /// one line per failure naming the key, and the process exits with code 1 instead of a stack trace.
    /// </summary>
    public static async Task<int> RunOrExplainAsync(this IHost host)
    {
        try
        {
            await host.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                await Console.Error.WriteLineAsync($"configuration error: {failure}");
            }

            return 1;
        }
    }
}
