namespace TrackSharp.Config.Families;

/// <summary>
/// OSTrack's defaults (<c>lib/config/ostrack/config.py</c>), written as YAML; the schema (keys and kinds) is
/// derived from them (values checked against upstream config.py @ f3c1aef). Differences from upstream, all
/// additive or type-only:
/// <list type="bullet">
/// <item><c>MODEL.BACKBONE.EMBED_DIM/DEPTH/NUM_HEADS/MLP_RATIO</c> (768/12/12/4.0) are not upstream keys:
/// upstream hard-codes them in <c>vit_base_patch16_224(_ce)</c>; the golden small config sets them.</item>
/// <item>The jitters <c>DATA.TEMPLATE.CENTER_JITTER/SCALE_JITTER</c> are floats (upstream writes <c>0</c>, an
/// int, which the schema would otherwise hold to ints); so are the <c>DATASETS_RATIO</c> weights (upstream
/// <c>[1, 1]</c>).</item>
/// </list>
/// </summary>
internal static class OSTrackDefaults
{
    public const string Yaml = """
        MODEL:
          PRETRAIN_FILE: mae_pretrain_vit_base.pth
          EXTRA_MERGER: false
          RETURN_INTER: false
          RETURN_STAGES: [2, 5, 8, 11]
          BACKBONE:
            TYPE: vit_base_patch16_224
            STRIDE: 16
            MID_PE: false
            SEP_SEG: false
            CAT_MODE: direct
            MERGE_LAYER: 0
            ADD_CLS_TOKEN: false
            CLS_TOKEN_USE_MODE: ignore
            CE_LOC: []
            CE_KEEP_RATIO: []
            CE_TEMPLATE_RANGE: ALL   # ALL, CTR_POINT, CTR_REC, GT_BOX
            EMBED_DIM: 768           # TrackSharp: upstream hard-codes the ViT-B sizes
            DEPTH: 12
            NUM_HEADS: 12
            MLP_RATIO: 4.0
          HEAD:
            TYPE: CENTER
            NUM_CHANNELS: 256
        TRAIN:
          LR: 0.0001
          WEIGHT_DECAY: 0.0001
          EPOCH: 500
          LR_DROP_EPOCH: 400
          BATCH_SIZE: 16
          NUM_WORKER: 8
          OPTIMIZER: ADAMW
          BACKBONE_MULTIPLIER: 0.1
          GIOU_WEIGHT: 2.0
          L1_WEIGHT: 5.0
          FREEZE_LAYERS: [0]
          PRINT_INTERVAL: 50
          VAL_EPOCH_INTERVAL: 20
          GRAD_CLIP_NORM: 0.1
          AMP: false
          CE_START_EPOCH: 20
          CE_WARM_EPOCH: 80
          DROP_PATH_RATE: 0.1
          SCHEDULER:
            TYPE: step
            DECAY_RATE: 0.1
        DATA:
          SAMPLER_MODE: causal
          MEAN: [0.485, 0.456, 0.406]
          STD: [0.229, 0.224, 0.225]
          MAX_SAMPLE_INTERVAL: 200
          TRAIN:
            DATASETS_NAME: [LASOT, GOT10K_vottrain]
            DATASETS_RATIO: [1.0, 1.0]
            SAMPLE_PER_EPOCH: 60000
          VAL:
            DATASETS_NAME: [GOT10K_votval]
            DATASETS_RATIO: [1.0]
            SAMPLE_PER_EPOCH: 10000
          SEARCH:
            SIZE: 320
            FACTOR: 5.0
            CENTER_JITTER: 4.5
            SCALE_JITTER: 0.5
            NUMBER: 1
          TEMPLATE:
            NUMBER: 1
            SIZE: 128
            FACTOR: 2.0
            CENTER_JITTER: 0.0
            SCALE_JITTER: 0.0
        TEST:
          TEMPLATE_FACTOR: 2.0
          TEMPLATE_SIZE: 128
          SEARCH_FACTOR: 5.0
          SEARCH_SIZE: 320
          EPOCH: 500
        """;
}
