using System.Net;
using System.Text.Json;

namespace Provisioning.Cli.Gateway;

/// <summary>An HTTP answer of the gateway: its status and its body, parsed when it is JSON (a result or an RFC 7807 problem).</summary>
public sealed record GatewayAnswer(HttpStatusCode Status, JsonElement? Body, string Text)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The body, which a successful answer of this API always has.</summary>
    public JsonElement Json => Body ?? throw new CliException(
        ExitCodes.GatewayError, "gateway-error", $"the gateway answered {(int)Status} without a JSON body: {Shorten(Text)}", (int)Status);

    /// <summary>A string member of the body (a problem's <c>title</c>, <c>detail</c>, <c>reason</c>), or null.</summary>
    public string? Member(string name) =>
        Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>What the gateway said, for a message: the problem's title and detail, else the start of the body.</summary>
    public string Explanation()
    {
        var title = Member("title");
        var detail = Member("detail");
        return (title, detail) switch
        {
            ({ } t, { } d) => $"{t}: {d}",
            ({ } t, null) => t,
            (null, { } d) => d,
            _ => Text.Length == 0 ? "(no body)" : Shorten(Text),
        };
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
