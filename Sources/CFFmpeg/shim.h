// Exposes FFmpeg 5.1 to Swift. Macros that Swift cannot import become static inline functions here.
#ifndef MEDLEY_CFFMPEG_SHIM_H
#define MEDLEY_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/sha.h>
#include <libavutil/dict.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

static inline int medley_averror(int e) { return AVERROR(e); }
static inline int medley_averror_eof(void) { return AVERROR_EOF; }
static inline int medley_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int64_t medley_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline int medley_av_time_base(void) { return AV_TIME_BASE; }

// Encoding: the audio FIFO that regroups samples into an encoder's fixed frame size.
#include <libavutil/audio_fifo.h>
static inline int medley_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }

// Audio analysis (MedleyDSP): FFmpeg's av_tx transforms, measured against Medley's own FFT.
#include <libavutil/tx.h>

#endif
