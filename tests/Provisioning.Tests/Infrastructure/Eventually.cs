using System.Diagnostics;

namespace Provisioning.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline, polling; fails with the last observation when the deadline passes.</summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> observe, Func<T, bool> condition, TimeSpan timeout, string what, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        T last = default!;
        Exception? lastError = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                last = await observe();
                lastError = null;
                if (condition(last))
                {
                    return last;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                lastError = ex;
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException(
            $"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; last observed: {(lastError is null ? last?.ToString() : lastError.GetType().Name + ": " + lastError.Message)}");
    }

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        UntilAsync(condition, ok => ok, timeout, what);
}
