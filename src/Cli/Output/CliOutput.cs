using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provisioning.Cli.Output;

/// <summary>
/// What a command prints. Results go to stdout: human-readable text, or with <c>--json</c> JSON only (one document, or
/// one compact document per line for a stream). Notes and errors go to stderr, so stdout stays parseable.
/// </summary>
public sealed class CliOutput(bool json, TextWriter? stdout = null, TextWriter? stderr = null)
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TextWriter _out = stdout ?? Console.Out;
    private readonly TextWriter _error = stderr ?? Console.Error;

    public bool Json { get; } = json;

    /// <summary>Whether stdout is a terminal a status line can be redrawn on.</summary>
    public bool IsTerminal => !Console.IsOutputRedirected && ReferenceEquals(_out, Console.Out);

    /// <summary>A line of the human-readable result (nothing with <c>--json</c>).</summary>
    public void Line(string text = "")
    {
        if (!Json)
        {
            _out.WriteLine(text);
        }
    }

    /// <summary>Text on stdout without a line end, for a redrawn status line.</summary>
    public void Raw(string text)
    {
        _out.Write(text);
        _out.Flush();
    }

    /// <summary>A note for the person at the terminal: stderr, in both modes.</summary>
    public void Note(string text) => _error.WriteLine(text);

    /// <summary>The result as one indented JSON document (only with <c>--json</c>).</summary>
    public void Document(JsonNode? value)
    {
        if (Json)
        {
            _out.WriteLine(value?.ToJsonString(Indented) ?? "null");
        }
    }

    /// <summary>One compact JSON document on its own line, for a stream of results (only with <c>--json</c>).</summary>
    public void StreamItem(JsonNode? value)
    {
        if (Json)
        {
            _out.WriteLine(value?.ToJsonString(Compact) ?? "null");
            _out.Flush();
        }
    }

    /// <summary>
    /// A failure: <c>error: ...</c> on stderr, and with <c>--json</c> also on stdout as
    /// <c>{"error": {"kind", "exitCode", "message", "status", "answer"}}</c>.
    /// </summary>
    public void Error(CliException failure)
    {
        _error.WriteLine($"error: {failure.Message}");
        if (Json)
        {
            Document(new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["kind"] = failure.Kind,
                    ["exitCode"] = failure.ExitCode,
                    ["message"] = failure.Message,
                    ["status"] = failure.Status,
                    ["answer"] = failure.Answer is { } answer ? JsonNode.Parse(answer.GetRawText()) : null,
                },
            });
        }
    }
}
