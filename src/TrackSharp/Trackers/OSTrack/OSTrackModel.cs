using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// The OSTrack network (<c>lib/models/ostrack/ostrack.py: OSTrack</c>): <c>backbone</c> (<see cref="OSTrackBackbone"/>)
/// and <c>box_head</c> (<see cref="CenterPredictor"/>), with OSTrack's state-dict names so official checkpoints load
/// unchanged. The head reads the last Lx tokens of the backbone output as a [B, C, F, F] map (token t → y = t / F,
/// x = t % F).
/// </summary>
public sealed class OSTrackModel : Module<Tensor, Tensor, OSTrackOutput>
{
#pragma warning disable IDE1006
    private readonly OSTrackBackbone backbone;
    private readonly CenterPredictor box_head;
#pragma warning restore IDE1006

    public OSTrackModel(OSTrackModelConfig config) : base(nameof(OSTrackModel))
    {
        config.Validate();
        Config = config;
        backbone = new OSTrackBackbone(config);
        box_head = new CenterPredictor(config.EmbedDim, config.HeadChannels, config.SearchFeatSize);
        RegisterComponents();
    }

    public OSTrackModelConfig Config { get; }

    public OSTrackBackbone Backbone => backbone;
    public CenterPredictor BoxHead => box_head;

    /// <summary>The reference's default call: no template mask (all rows), each CE block at its own ratio.</summary>
    public override OSTrackOutput forward(Tensor template, Tensor search) => Forward(template, search);

    /// <summary>
    /// The full forward (<c>OSTrack.forward</c>). See <see cref="OSTrackBackbone.Forward"/> for the arguments.
    /// </summary>
    public OSTrackOutput Forward(Tensor template, Tensor search, Tensor? ceTemplateMask = null, double? ceKeepRate = null,
        Action<string, Tensor>? probe = null)
    {
        using var scope = NewDisposeScope();
        var features = backbone.Forward(template, search, ceTemplateMask, ceKeepRate, probe);
        var (maps, boxes) = Head(features.Tokens);
        return new OSTrackOutput(boxes.MoveToOuterDisposeScope(), maps.ScoreMap.MoveToOuterDisposeScope(),
            maps.SizeMap.MoveToOuterDisposeScope(), maps.OffsetMap.MoveToOuterDisposeScope(),
            features.Tokens.MoveToOuterDisposeScope(),
            features.RemovedIndexes.Select(r => r?.MoveToOuterDisposeScope()).ToList());
    }

    /// <summary><c>forward_head</c> for CENTER: maps and the [B, 1, 4] boxes of backbone tokens [B, Lz + Lx, C].</summary>
    public (CenterMaps Maps, Tensor PredBoxes) Head(Tensor backboneTokens)
    {
        using var scope = NewDisposeScope();
        long b = backboneTokens.shape[0], c = backboneTokens.shape[2];
        int f = Config.SearchFeatSize;
        var search = backboneTokens[.., ^Config.SearchTokens..];
        var map = search.transpose(1, 2).reshape(b, c, f, f);
        var maps = box_head.Maps(map);
        var (boxes, _) = CenterPredictor.CalBbox(maps.ScoreMap, maps.SizeMap, maps.OffsetMap, f);
        var outMaps = new CenterMaps(maps.ScoreMap.MoveToOuterDisposeScope(), maps.SizeMap.MoveToOuterDisposeScope(),
            maps.OffsetMap.MoveToOuterDisposeScope());
        return (outMaps, boxes.view(b, 1, 4).MoveToOuterDisposeScope());
    }
}
