using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TrackSharp.Tests;

/// <summary>The process's resident memory after a full garbage collection (managed garbage does not count) and, on
/// glibc, after handing the native heap's free pages back to the system (memory that libtorch or OpenCV freed but
/// malloc kept does not count either).</summary>
internal static class ProcessMemory
{
    public static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        TrimNativeHeap();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    private static bool trimUnavailable;

    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux() || trimUnavailable) return;
        try { MallocTrim(0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { trimUnavailable = true; }   // not glibc (e.g. musl)
    }

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
