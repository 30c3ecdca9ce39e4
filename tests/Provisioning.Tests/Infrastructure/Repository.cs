namespace Provisioning.Tests.Infrastructure;

/// <summary>Paths inside the repository the tests run from.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The built entry assembly of one of the project's programs, e.g. <c>Silo</c> or <c>Gateway</c>.</summary>
    public static string ProgramDll(string project) =>
        Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", $"Provisioning.{project}.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Provisioning.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Provisioning.sln not found above {AppContext.BaseDirectory}");
    }
}
