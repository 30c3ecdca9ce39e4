using System.Text.Encodings.Web;
using System.Text.Json;

namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>GitHub's JSON style: snake_case names, nulls written out, quotes escaped as <c>\"</c> rather than <c>\u0022</c>.</summary>
internal static class GitHubJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
