namespace TrackSharp.Tracking;

/// <summary>
/// Finds shipped weights by their path relative to the models folder (e.g. "nanotrack/nanotrackv3.pth").
/// Search order: the folder named by <c>TRACKSHARP_MODELS</c>, then <c>models/</c> in the current directory
/// and its parents, then <c>models/</c> in the application's directory and its parents (so a build output
/// inside the repository finds the repository's models).
/// </summary>
public static class ModelStore
{
    public const string EnvironmentVariable = "TRACKSHARP_MODELS";

    /// <summary>Candidate models folders, most specific first.</summary>
    public static IEnumerable<string> SearchFolders()
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env)) yield return Path.GetFullPath(env);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                yield return Path.Combine(dir.FullName, "models");
        }
    }

    /// <summary>Resolves a weights file relative to the models folder.</summary>
    /// <exception cref="FileNotFoundException">Lists where it looked and how to give the path.</exception>
    public static string Resolve(string relativePath)
    {
        var searched = new List<string>();
        foreach (var folder in SearchFolders().Distinct())
        {
            var candidate = Path.Combine(folder, relativePath);
            if (File.Exists(candidate)) return candidate;
            if (searched.Count < 4) searched.Add(folder);
        }
        throw new FileNotFoundException(
            $"weights '{relativePath}' not found in {string.Join(", ", searched)} ...; " +
            $"pass --weights PATH or set {EnvironmentVariable} to the folder holding '{relativePath}'", relativePath);
    }
}
