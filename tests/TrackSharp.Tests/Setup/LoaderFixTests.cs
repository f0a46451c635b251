using System.Diagnostics;
using System.Security.Cryptography;
using Xunit;

namespace TrackSharp.Tests.Setup;

/// <summary>
/// The GLIBCXX_3.4.32 loader fix (build/LibTorchSharpLoaderFix.targets + build/MarkGlibcxxVersionWeak.cs):
/// the libLibTorchSharp.so the tests run with carries the weak flag exactly where needed, and the MSBuild
/// target patches once, is idempotent, and leaves files alone where there is nothing to do. The target is run
/// for real (dotnet msbuild) on copies in a temporary "NuGet packages folder"; the flags are read back with the
/// test's own ELF reader (<see cref="ElfVersionNeeds"/>).
/// </summary>
public class LoaderFixTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string SystemLibstdcxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
    private const string PackageRelativePath = "torchsharp/0.107.0/runtimes/linux-x64/native/libLibTorchSharp.so";

    /// <summary>The task patches only where the system libstdc++ lacks the version.</summary>
    private static bool FixNeeded => !ElfVersionNeeds.FileMentions(SystemLibstdcxx, Version);

    [Fact]
    public void InstalledLibLibTorchSharpHasWeakGlibcxx3432WhereNeeded()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(SystemLibstdcxx)) return; // the fix is Linux/x64 only

        var requirement = Requirement(File.ReadAllBytes(InstalledLibrary()));
        Assert.Equal("libstdc++.so.6", requirement.Library);
        if (FixNeeded)
            Assert.True(requirement.IsWeak,
                $"{Version} must be weak (flag 0x2): {SystemLibstdcxx} lacks it, so the loader would refuse the library");
    }

    [Fact]
    public void TargetPatchesOnceThenIsIdempotent()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(SystemLibstdcxx)) return;

        using var root = new TempDir();
        string copy = Path.Combine(root.Path, PackageRelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        byte[] original = File.ReadAllBytes(InstalledLibrary());
        File.WriteAllBytes(copy, SetWeak(original, weak: false)); // as restored from nuget.org
        byte[] unpatched = File.ReadAllBytes(copy);

        string first = RunTarget(root.Path);
        byte[] afterFirst = File.ReadAllBytes(copy);
        string second = RunTarget(root.Path);
        byte[] afterSecond = File.ReadAllBytes(copy);

        if (FixNeeded)
        {
            Assert.StartsWith("patched", first);
            Assert.True(Requirement(afterFirst).IsWeak);
            Assert.Equal(1, DifferingBytes(unpatched, afterFirst)); // one flag byte, nothing else
            Assert.Equal("already patched", second);
        }
        else
        {
            Assert.StartsWith("not needed", first);
            Assert.StartsWith("not needed", second);
            Assert.Equal(unpatched, afterFirst);
        }
        Assert.Equal(afterFirst, afterSecond);
    }

    [Fact]
    public void TargetLeavesLibraryWithoutTheRequirementUntouched()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(SystemLibstdcxx)) return;

        using var root = new TempDir();
        string copy = Path.Combine(root.Path, PackageRelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        // Any ELF library without a GLIBCXX_3.4.32 requirement: the system libstdc++ itself.
        File.Copy(SystemLibstdcxx, copy);
        Assert.DoesNotContain(ElfVersionNeeds.Read(File.ReadAllBytes(copy)), r => r.Version == Version);
        byte[] before = File.ReadAllBytes(copy);

        string result = RunTarget(root.Path);

        Assert.Equal(before, File.ReadAllBytes(copy));
        Assert.True(result.StartsWith("no " + Version, StringComparison.Ordinal) || result.StartsWith("not needed"),
            result);
    }

    [Fact]
    public void TargetDoesNothingWhenTheLibraryIsAbsent()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var root = new TempDir();
        string result = RunTarget(root.Path);
        Assert.Equal("", result);
        // nothing was created besides the probe project and its log
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(root.Path, "*", SearchOption.AllDirectories),
            p => !p.EndsWith(".proj", StringComparison.Ordinal) && !p.EndsWith(".log", StringComparison.Ordinal));
    }

    private static ElfVersionNeeds.Requirement Requirement(byte[] elf) =>
        Assert.Single(ElfVersionNeeds.Read(elf), r => r.Version == Version);

    private static byte[] SetWeak(byte[] elf, bool weak)
    {
        var copy = (byte[])elf.Clone();
        var r = Requirement(copy);
        ushort flags = (ushort)(weak ? r.Flags | ElfVersionNeeds.VerFlagWeak : r.Flags & ~ElfVersionNeeds.VerFlagWeak);
        BitConverter.GetBytes(flags).CopyTo(copy, r.FlagsOffset);
        return copy;
    }

    private static int DifferingBytes(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        int n = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) n++;
        return n;
    }

    /// <summary>The libLibTorchSharp.so next to the test assembly (copied there from the packages folder).</summary>
    private static string InstalledLibrary()
    {
        string dir = AppContext.BaseDirectory;
        foreach (var candidate in new[]
                 {
                     Path.Combine(dir, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
                     Path.Combine(dir, "libLibTorchSharp.so"),
                 })
            if (File.Exists(candidate)) return candidate;
        throw new FileNotFoundException($"libLibTorchSharp.so not found under {dir}");
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TrackSharp.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root (TrackSharp.slnx) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs the loader-fix target with NuGetPackageRoot = <paramref name="packageRoot"/>; returns its
    /// result text ("" when the library is absent and the task did not run).</summary>
    private static string RunTarget(string packageRoot)
    {
        string targets = Path.Combine(RepositoryRoot(), "build", "LibTorchSharpLoaderFix.targets");
        string project = Path.Combine(packageRoot, "probe.proj");
        File.WriteAllText(project, $"<Project><Import Project=\"{targets}\" /></Project>");
        string log = Path.Combine(packageRoot, $"msbuild-{Guid.NewGuid():N}.log");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host
            ? host : "dotnet")
        {
            UseShellExecute = false,
            // Output goes to a log file, not a pipe: a lingering compiler server must not keep the test waiting.
            ArgumentList =
            {
                "msbuild", project, "-t:TrackSharpFixLibTorchSharpLoader", "-nologo", "-nodeReuse:false",
                "-noConsoleLogger", $"-fileLoggerParameters:LogFile={log};Verbosity=normal",
                $"-p:NuGetPackageRoot={packageRoot.TrimEnd('/')}/",
            },
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        using var process = Process.Start(start)!;
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("dotnet msbuild did not finish within 3 minutes");
        }
        string output = File.ReadAllText(log);
        Assert.True(process.ExitCode == 0, $"dotnet msbuild failed ({process.ExitCode}):\n{output}");

        const string marker = "libLibTorchSharp loader fix:";
        string? line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(marker, StringComparison.Ordinal));
        Assert.True(line is not null, "no loader-fix message in the MSBuild log:\n" + output);
        return line![marker.Length..].Trim();
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("tracksharp-loaderfix-").FullName;
        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }
}
