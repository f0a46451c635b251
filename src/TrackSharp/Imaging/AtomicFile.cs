namespace TrackSharp.Imaging;

/// <summary>
/// Write-then-rename. The temporary file lives in the destination's folder so the final rename stays on one
/// file system (and is therefore atomic); it is hidden and removed again if anything fails.
/// </summary>
internal static class AtomicFile
{
    /// <summary>A hidden, unique temporary path next to <paramref name="path"/>, keeping its extension
    /// (encoders such as VideoWriter pick the container from it).</summary>
    public static string TemporaryPathFor(string path)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder,
            $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        string temp = TemporaryPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new IOException($"cannot write '{path}': {e.Message}", e);
        }
    }

    /// <summary>Moves a finished temporary file into place, replacing the destination.</summary>
    public static void Commit(string temp, string path)
    {
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new IOException($"cannot write '{path}': {e.Message}", e);
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original error is what the caller needs to see.
        }
    }
}
