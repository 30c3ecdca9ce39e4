using System.Text.Json;

namespace Provisioning.Cli;

/// <summary>
/// A failure the CLI explains and turns into an exit code: <see cref="Kind"/> names it for scripts (<c>usage</c>,
/// <c>unreachable</c>, <c>unauthorized</c>, <c>not-found</c>, <c>conflict</c>, <c>gateway-error</c>, ...); <see cref="Status"/> and
/// <see cref="Answer"/> are the gateway's HTTP status and body when it answered.
/// </summary>
public sealed class CliException(int exitCode, string kind, string message, int? status = null, JsonElement? answer = null)
    : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public string Kind { get; } = kind;

    public int? Status { get; } = status;

    public JsonElement? Answer { get; } = answer;

    public static CliException Usage(string message) => new(ExitCodes.Usage, "usage", message);
}
