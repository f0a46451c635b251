namespace TrackSharp.Tests;

/// <summary>Locates the repository root (the folder holding TrackSharp.slnx) and the shared reference data.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>../shared next to the repository root (golden data, weights, sequences).</summary>
    public static string Shared { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TrackSharp.slnx")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No TrackSharp.slnx above {AppContext.BaseDirectory}");
    }
}
