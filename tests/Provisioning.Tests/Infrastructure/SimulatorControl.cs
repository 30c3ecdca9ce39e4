using System.Diagnostics;

namespace Provisioning.Tests.Infrastructure;

/// <summary>What the simulators' process wrappers share: waiting for their health endpoint and checking control answers.</summary>
internal static class SimulatorControl
{
    /// <summary>Polls <c>/_simulator/health</c> until it answers 200, the process exits or <paramref name="timeout"/> passes.</summary>
    public static async Task WaitUntilHealthyAsync(HostProcess process, HttpClient control, string name, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!process.HasExited)
        {
            try
            {
                using var response = await control.GetAsync("/_simulator/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The {name} did not answer /_simulator/health within {timeout.TotalSeconds:0} s\n{process.Tail(40)}");
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"The {name} exited with {process.ExitCode} before it was ready\n{process.Tail(40)}");
    }

    /// <summary>Throws with the method, address, status and body when a control call did not succeed.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}",
                null,
                response.StatusCode);
        }
    }
}
