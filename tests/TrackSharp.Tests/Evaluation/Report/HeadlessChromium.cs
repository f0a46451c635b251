using System.Diagnostics;
using Xunit;

namespace TrackSharp.Tests.Evaluation.Report;

/// <summary>
/// Headless Chromium (Debian package <c>chromium</c>) for screenshots of the HTML report. Found through
/// TRACKSHARP_CHROMIUM, else chromium / chromium-browser / google-chrome on PATH.
/// </summary>
internal static class HeadlessChromium
{
    public static string? Executable { get; } = Find();

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("TRACKSHARP_CHROMIUM") is { Length: > 0 } given && File.Exists(given)) return given;
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => path.Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Opens <paramref name="html"/> offline (file:// URL, network disabled by a proxy that does not exist) and
    /// writes a <paramref name="width"/> x <paramref name="height"/> PNG screenshot.</summary>
    public static void Screenshot(string html, string png, int width, int height)
    {
        string profile = Directory.CreateTempSubdirectory("tracksharp-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("chromium not found"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run",
                         $"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                         $"--window-size={width},{height}", $"--screenshot={png}", new Uri(html).AbsoluteUri,
                     })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(180_000))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("chromium did not finish within 180 s");
            }
            Assert.True(File.Exists(png), $"chromium wrote no screenshot (exit {process.ExitCode}): {stdout.Result}{stderr.Result}");
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>A fact that needs headless Chromium: skipped with the reason when it is not installed, except under CI
/// (CI=true), where <c>.ci/run</c> installs it and the test must run.</summary>
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (HeadlessChromium.Executable is null && !ci)
            Skip = "headless Chromium not found (install the Debian package 'chromium' or set TRACKSHARP_CHROMIUM); CI installs it";
    }
}
