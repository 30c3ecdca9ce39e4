using System.CommandLine;

namespace Provisioning.Cli;

/// <summary>Options every command takes (recursive on the root command).</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Gateway = new("--gateway", "-g")
    {
        Description = $"The gateway's address [default: $PROVISIONING_GATEWAY, else {Cli.Gateway.GatewayAddress.Default}, where ./run.sh serves it]",
        HelpName = "url",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the result as JSON on stdout (errors too, as {\"error\": {...}}); notes stay on stderr",
        Recursive = true,
    };

    public static readonly Option<string?> EnvFile = new("--env-file")
    {
        Description = "Read local secrets from this KEY=VALUE file [default: $PROVISIONING_ENV_FILE, else .local/dev.env here or in a parent folder]",
        HelpName = "path",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Gateway);
        root.Options.Add(Json);
        root.Options.Add(EnvFile);
    }
}
