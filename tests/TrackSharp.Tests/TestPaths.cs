namespace TrackSharp.Tests;

/// <summary>Where the tests find the repository and the shared reference data (../shared next to the repo).</summary>
internal static class TestPaths
{
    /// <summary>The folder holding TrackSharp.slnx, found by walking up from the test binaries.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The shared data folder (golden/, weights/, data/) beside the repository.</summary>
    public static string Shared { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TrackSharp.slnx")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"no TrackSharp.slnx above {AppContext.BaseDirectory}");
    }
}
