namespace TrackSharp.Config.Families;

/// <summary>
/// Defaults of the <c>ltr</c> family: pytracking's training settings (<c>ltr/train_settings/*/*.py</c>), which upstream
/// are Python code, written as YAML with the values of TransformerTrack's <c>ltr/train_settings/dimp/transformer_dimp.py</c>
/// (TrDiMP/TrSiam; checked against 594422814/TransformerTrack @ becfce1). The schema (keys and kinds) is derived from
/// them, so a misspelt key or a value of the wrong kind is an error naming the file, line and key.
/// <list type="bullet">
/// <item><c>settings</c>: the <c>settings.*</c> attributes the script sets (batch size, crop and label sizes, jitters).</item>
/// <item><c>data</c>: datasets and ratios of the <c>DiMPSampler</c>, its frame counts and gap, the transforms'
/// probabilities, <c>KLDiMPProcessing</c>'s crop type and <c>proposal_params</c>.</item>
/// <item><c>model</c>: the keyword arguments of <c>dimpnet50</c>; <c>backbone</c>/<c>backbone_inplanes</c> are not
/// upstream keys (upstream hard-codes ResNet-50; <c>resnet_baby</c> is the golden small network), and
/// <c>backbone_pretrained</c> is a path to ImageNet ResNet-50 weights (<c>''</c>: random initialisation) instead of a bool.</item>
/// <item><c>loss_weight</c>, <c>optimizer</c> (Adam groups, StepLR), <c>trainer</c> (epochs: <c>trainer.train(50)</c>).</item>
/// </list>
/// Dataset names are TrackSharp layouts (<c>lasot</c>, <c>got10k</c>, <c>trackingnet</c>, <c>coco</c>: the whole folder)
/// or <c>got10k_SPLIT</c> (GOT-10k through ltr's split list, upstream <c>Got10k(split='vottrain')</c>); each needs a folder
/// from <c>--data NAME=PATH</c> (or <c>--data LAYOUT=PATH</c>). <c>trackingnet_set_ids</c> is upstream's
/// <c>TrackingNet(set_ids=list(range(4)))</c>.
/// </summary>
internal static class LtrDefaults
{
    public const string Yaml = """
        settings:
          batch_size: 40
          num_workers: 8
          print_interval: 1
          normalize_mean: [0.485, 0.456, 0.406]
          normalize_std: [0.229, 0.224, 0.225]
          search_area_factor: 6.0
          output_sigma_factor: 0.25
          target_filter_sz: 4
          feature_sz: 22
          output_sz: 352
          center_jitter_factor: {train: 3.0, test: 5.5}
          scale_jitter_factor: {train: 0.25, test: 0.5}
          hinge_threshold: 0.05
        data:
          train:
            datasets: [lasot, got10k_vottrain, trackingnet, coco]
            ratios: [1.0]
            samples_per_epoch: 50000
            trackingnet_set_ids: [0, 1, 2, 3]
          val:
            datasets: [got10k_votval]
            samples_per_epoch: 10000
            epoch_interval: 5
          max_gap: 500
          num_train_frames: 3
          num_test_frames: 3
          frame_sample_mode: causal
          grayscale_probability: 0.05
          joint_flip_probability: 0.5
          brightness_jitter: 0.2
          flip_probability: 0.5
          crop_type: inside_major
          max_scale_change: 1.5
          proposals:
            boxes_per_frame: 128
            gt_sigma: [0.05, 0.05]
            proposal_sigma: [[0.05, 0.05], [0.5, 0.5]]
        model:
          backbone: resnet50
          backbone_inplanes: 64
          backbone_pretrained: ''
          filter_size: 4
          optim_iter: 5
          out_feature_dim: 512
          optim_init_step: 0.9
          optim_init_reg: 0.1
          init_gauss_sigma: 0.9166666666666666
          num_dist_bins: 100
          bin_displacement: 0.1
          mask_init_factor: 3.0
          iou_input_dim: [256, 256]
          iou_inter_dim: [256, 256]
          frozen_backbone_layers: [conv1, bn1, layer1, layer2]
        loss_weight:
          bb_ce: 0.01
          test_clf: 100.0
          test_init_clf: 100.0
          test_iter_clf: 400.0
        optimizer:
          lr_filter_initializer: 5.0e-5      # classifier.filter_initializer
          lr_filter_optimizer: 5.0e-4        # classifier.filter_optimizer
          lr_classifier_features: 5.0e-5     # classifier.feature_extractor
          lr_transformer: 1.0e-3             # classifier.transformer
          lr_bb_regressor: 1.0e-3            # bb_regressor
          lr_layer3: 2.0e-5                  # feature_extractor.layer3
          step_size: 15
          gamma: 0.2
        trainer:
          epochs: 50
        """;
}
