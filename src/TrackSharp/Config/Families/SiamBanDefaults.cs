namespace TrackSharp.Config.Families;

/// <summary>
/// SiamBAN's defaults (<c>siamban/core/config.py</c>, the pysot yacs layout), written as YAML; the schema is
/// derived from them. <c>KWARGS</c> mappings and <c>DATASET</c> are open (yacs <c>new_allowed</c>): models and
/// datasets take their own keys. Values checked against hqucv/siamban @ 1cfdfeb. Additions to upstream:
/// <c>TRACK.OUTPUT_SIZE</c> (NanoTrack's key in the same layout) and pysot's <c>TRAIN.THR_HIGH/THR_LOW</c>.
/// </summary>
internal static class SiamBanDefaults
{
    public const string Yaml = """
        META_ARC: siamban_r50_l234
        CUDA: true
        TRAIN:
          THR_HIGH: 0.6
          THR_LOW: 0.3
          NEG_NUM: 16
          POS_NUM: 16
          TOTAL_NUM: 64
          EXEMPLAR_SIZE: 127
          SEARCH_SIZE: 255
          BASE_SIZE: 8
          OUTPUT_SIZE: 25
          RESUME: ''
          PRETRAINED: ''
          LOG_DIR: ./logs
          SNAPSHOT_DIR: ./snapshot
          EPOCH: 20
          START_EPOCH: 0
          BATCH_SIZE: 32
          NUM_WORKERS: 1
          MOMENTUM: 0.9
          WEIGHT_DECAY: 0.0001
          CLS_WEIGHT: 1.0
          LOC_WEIGHT: 1.0
          PRINT_FREQ: 20
          LOG_GRADS: false
          GRAD_CLIP: 10.0
          BASE_LR: 0.005
          LR:
            TYPE: log
            KWARGS: {}
          LR_WARMUP:
            WARMUP: true
            TYPE: step
            EPOCH: 5
            KWARGS: {}
        DATASET: !open
          TEMPLATE:
            SHIFT: 4
            SCALE: 0.05
            BLUR: 0.0
            FLIP: 0.0
            COLOR: 1.0
          SEARCH:
            SHIFT: 64
            SCALE: 0.18
            BLUR: 0.0
            FLIP: 0.0
            COLOR: 1.0
          NEG: 0.2
          GRAY: 0.0
          NAMES: [VID, YOUTUBEBB, DET, COCO, GOT10K, LASOT]
          VID:
            ROOT: training_dataset/vid/crop511
            ANNO: training_dataset/vid/train.json
            FRAME_RANGE: 100
            NUM_USE: 100000
          YOUTUBEBB:
            ROOT: training_dataset/yt_bb/crop511
            ANNO: training_dataset/yt_bb/train.json
            FRAME_RANGE: 3
            NUM_USE: 200000
          COCO:
            ROOT: training_dataset/coco/crop511
            ANNO: training_dataset/coco/train2017.json
            FRAME_RANGE: 1
            NUM_USE: 100000
          DET:
            ROOT: training_dataset/det/crop511
            ANNO: training_dataset/det/train.json
            FRAME_RANGE: 1
            NUM_USE: 200000
          GOT10K:
            ROOT: training_dataset/got_10k/crop511
            ANNO: training_dataset/got_10k/train.json
            FRAME_RANGE: 100
            NUM_USE: 200000
          LASOT:
            ROOT: training_dataset/lasot/crop511
            ANNO: training_dataset/lasot/train.json
            FRAME_RANGE: 100
            NUM_USE: 200000
          VIDEOS_PER_EPOCH: 1000000
        BACKBONE:
          TYPE: res50
          KWARGS: {}
          PRETRAINED: ''
          TRAIN_LAYERS: [layer2, layer3, layer4]
          LAYERS_LR: 0.1
          TRAIN_EPOCH: 10
        ADJUST:
          ADJUST: true
          KWARGS: {}
          TYPE: AdjustAllLayer
        BAN:
          BAN: false
          TYPE: MultiBAN
          KWARGS: {}
        POINT:
          STRIDE: 8
        TRACK:
          TYPE: SiamBANTracker
          PENALTY_K: 0.14
          WINDOW_INFLUENCE: 0.45
          LR: 0.3
          EXEMPLAR_SIZE: 127
          INSTANCE_SIZE: 255
          BASE_SIZE: 8
          CONTEXT_AMOUNT: 0.5
          OUTPUT_SIZE: 16     # NanoTrack (v1/v2 default); SiamBAN computes its own
        """;
}
