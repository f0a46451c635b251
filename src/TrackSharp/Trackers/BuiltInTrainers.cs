using TrackSharp.Detection.Fcos.Training;
using TrackSharp.Trackers.NanoTrack.Training;
using TrackSharp.Trackers.OSTrack.Training;
using TrackSharp.Trackers.SiamBAN.Training;
using TrackSharp.Trackers.SiamFCpp.Training;
using TrackSharp.Trackers.TrDiMP.Training;
using TrackSharp.Training.Engine;

namespace TrackSharp.Trackers;

/// <summary>The trainers this library ships, for the <c>train</c> verb (the engine itself knows no model family).</summary>
public static class BuiltInTrainers
{
    /// <summary>Registers every built-in trainer factory in <paramref name="registry"/> (idempotent).</summary>
    public static void Register(TrainerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(new SiamFCppTrainerFactory());
        registry.Register(new SiamBanTrainerFactory());
        registry.Register(new OSTrackTrainerFactory());
        registry.Register(new NanoTrackTrainerFactory());
        registry.Register(new FcosTrainerFactory());
        registry.Register(new TrDiMPTrainerFactory());
    }
}
