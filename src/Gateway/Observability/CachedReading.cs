using Npgsql;

namespace Provisioning.Gateway.Observability;

/// <summary>
/// A figure read from the database for an observable gauge (whose callback cannot await): read synchronously when a
/// collection asks and the last reading is older than <paramref name="cacheFor"/>; while the database does not answer,
/// the last reading is kept and <paramref name="unavailable"/> says why.
/// </summary>
public sealed class CachedReading<T>(Func<T> read, TimeSpan cacheFor, TimeProvider time, Action<string> unavailable)
    where T : class
{
    private readonly Lock _lock = new();
    private T? _value;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public T? Current()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (now - _readAt < cacheFor)
            {
                return _value;
            }

            _readAt = now;
            try
            {
                _value = read();
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                unavailable(ex.Message);
            }

            return _value;
        }
    }
}
