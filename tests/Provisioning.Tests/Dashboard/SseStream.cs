using System.Text.Json;

namespace Provisioning.Tests.Dashboard;

/// <summary>One open <c>GET /api/live</c> stream, read as a browser reads server-sent events: blank-line separated, <c>data:</c> lines.</summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseStream(HttpClient http, HttpResponseMessage response, StreamReader reader) => (_http, _response, _reader) = (http, response, reader);

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    public static async Task<SseStream> OpenAsync(Uri gateway)
    {
        var http = new HttpClient { BaseAddress = gateway, Timeout = Timeout.InfiniteTimeSpan };
        var response = await http.GetAsync("/api/live", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new SseStream(http, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event's type and data, or a timeout after <paramref name="within"/>.</summary>
    public async Task<(string Type, JsonElement Data)> NextAsync(TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        string type = "message";
        var data = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync(deadline.Token) ?? throw new EndOfStreamException("the live stream ended");
            if (line.Length == 0 && data.Count > 0)
            {
                using var document = JsonDocument.Parse(string.Join('\n', data));
                return (type, document.RootElement.Clone());
            }

            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                type = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Add(line[5..].TrimStart());
            }
        }
    }

    /// <summary>Reads events until one has a <c>version</c> above <paramref name="version"/>; answers it.</summary>
    public async Task<JsonElement> NextVersionAboveAsync(long version, TimeSpan within)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var (_, data) = await NextAsync(within - clock.Elapsed);
            if (data.GetProperty("version").GetInt64() > version)
            {
                return data;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _http.Dispose();
        await Task.CompletedTask;
    }
}
