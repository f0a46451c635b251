using System.Diagnostics;

namespace TrackSharp.Tests;

/// <summary>The process's resident memory after a full garbage collection (managed garbage does not count).</summary>
internal static class ProcessMemory
{
    public static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
