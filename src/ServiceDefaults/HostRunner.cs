using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Provisioning.ServiceDefaults;

public static class HostRunner
{
    /// <summary>
    /// Runs the host until it is stopped (Ctrl-C or SIGTERM). A configuration error found at start is printed,
    /// one line per failure naming the key, and the process exits with code 1 instead of a stack trace. When several
    /// settings are wrong, start-up validation reports them together (an <see cref="AggregateException"/>): all are printed.
    /// </summary>
    public static async Task<int> RunOrExplainAsync(this IHost host)
    {
        try
        {
            await host.RunAsync();
            return 0;
        }
        catch (Exception ex) when (ValidationFailures(ex) is { Count: > 0 } failures)
        {
            foreach (var failure in failures)
            {
                await Console.Error.WriteLineAsync($"configuration error: {failure}");
            }

            return 1;
        }
    }

    private static List<string> ValidationFailures(Exception exception) => exception switch
    {
        OptionsValidationException options => [.. options.Failures],
        AggregateException aggregate when aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. aggregate.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)],
        _ => [],
    };
}
