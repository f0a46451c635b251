using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrackSharp.Training.Schedules;

/// <summary>
/// The pysot trainers' optimiser set-up (<c>tools/train.py build_opt_lr</c> of SiamBAN / NanoTrack), written from
/// its definition: before <c>BACKBONE.TRAIN_EPOCH</c> every backbone parameter is frozen and every backbone
/// BatchNorm is put in eval mode (running statistics used and kept), while neck and head stay in train mode; from
/// that epoch on, the parameters of <c>BACKBONE.TRAIN_LAYERS</c> are trainable and their BatchNorms train. The SGD
/// groups are [backbone (trainable parameters only; may be empty), neck, head] with initial lrs
/// <see cref="PysotLrConfig.InitialGroupLrs"/>; the scheduler then sets each group's lr per epoch.
/// Call <c>model.train()</c> first, as the reference builds the model in train mode before <c>build_opt_lr</c>.
/// </summary>
public static class PysotTrainRegime
{
    /// <summary>Freezes / unfreezes <paramref name="backbone"/> for <paramref name="epoch"/> as <c>build_opt_lr</c> does.</summary>
    public static void ApplyBackboneRegime(nn.Module backbone, int epoch, int trainEpoch, IReadOnlyList<string> trainLayers)
    {
        if (epoch >= trainEpoch)
        {
            var children = backbone.named_children().ToDictionary(c => c.name, c => c.module);
            foreach (var layer in trainLayers)
            {
                if (!children.TryGetValue(layer, out var module))
                    throw new ArgumentException($"BACKBONE.TRAIN_LAYERS names '{layer}', which the backbone does not have ({string.Join(", ", children.Keys)})");
                foreach (var p in module.parameters()) p.requires_grad = true;
                foreach (var (_, m) in module.named_modules())
                    if (m is BatchNorm2d) m.train();
            }
        }
        else
        {
            foreach (var p in backbone.parameters()) p.requires_grad = false;
            foreach (var (_, m) in backbone.named_modules())
                if (m is BatchNorm2d) m.eval();
        }
    }

    /// <summary>
    /// SGD over [backbone trainable, neck, head] (momentum / weight decay as TRAIN.MOMENTUM / WEIGHT_DECAY) with each
    /// group's lr already set to <paramref name="schedule"/>'s value at <paramref name="epoch"/>
    /// (<c>lr_scheduler.step(epoch)</c>). <paramref name="neck"/> may be null (no ADJUST): its group is then left out.
    /// </summary>
    public static SGD BuildSgd(nn.Module backbone, nn.Module? neck, nn.Module head, PysotLrConfig config,
        PysotLrSchedule schedule, int epoch, double momentum = 0.9, double weightDecay = 1e-4)
    {
        var initial = config.InitialGroupLrs;
        var groups = new List<SGD.ParamGroup>
        {
            new(backbone.parameters().Where(p => p.requires_grad).ToList(), schedule.GroupLr(epoch, initial[0]), momentum, 0, weightDecay),
        };
        if (neck is not null)
            groups.Add(new(neck.parameters().ToList(), schedule.GroupLr(epoch, initial[1]), momentum, 0, weightDecay));
        groups.Add(new(head.parameters().ToList(), schedule.GroupLr(epoch, initial[2]), momentum, 0, weightDecay));
        return optim.SGD(groups, schedule.GroupLr(epoch, initial[1]), momentum, 0, weightDecay);
    }

    /// <summary>Sets the lrs of <paramref name="optimizer"/>'s groups to <paramref name="schedule"/> at <paramref name="epoch"/>
    /// (<c>lr_scheduler.step(epoch)</c>); <paramref name="initialLrs"/> per group, in group order.</summary>
    public static void SetEpoch(SGD optimizer, PysotLrSchedule schedule, int epoch, IReadOnlyList<double> initialLrs)
    {
        var groups = optimizer.ParamGroups.ToList();
        if (groups.Count != initialLrs.Count)
            throw new ArgumentException($"the optimizer has {groups.Count} groups, {initialLrs.Count} initial lrs were given");
        for (int i = 0; i < groups.Count; i++)
            groups[i].LearningRate = schedule.GroupLr(epoch, initialLrs[i]);
    }
}
