import Foundation

/// pYIN's hidden Markov model decoded with a banded, fixed-lag Viterbi.
///
/// States: `binCount` voiced pitch bins then `binCount` unvoiced ones. Within a half, a triangular transition
/// of ±`halfWidth` bins (librosa `transition_local(window="triangle", wrap=False)`, rows renormalised); across
/// halves the same band times `switchProbability`, and `1 − switchProbability` within (librosa
/// `transition_loop`). Transitions outside the band have probability 0, so only the band is searched (librosa
/// searches all 2n states with log(0 + tiny); the decoded path is the same). Ties go to the lowest state index,
/// as numpy's argmax.
///
/// Memory: back-pointers are one byte per state and frame. To keep memory flat on long inputs, once
/// ``maxPendingFrames`` frames wait, the path is traced back from the best current state and the older half is
/// committed. A committed frame could differ from a whole-file decode only if the survivors of 95 s ago had not
/// merged, which does not happen for this model in practice.
struct PitchViterbi {
    let binCount: Int
    let halfWidth: Int
    /// log of the within-half band by offset: [(d + w)·n + j] for source bin j and offset d = i − j (−∞ outside).
    private let logBand: [Double]
    private let logStay: Double
    private let logSwitch: Double
    private var value: [Double]
    private var next: [Double]
    private var pointers: [UInt8] = []  // per frame, 2n bytes: offset + 50, +128 when switching halves
    private var pendingFrames = 0
    private var started = false
    /// Decoded states of committed frames.
    private(set) var committed: [Int32] = []
    static let maxPendingFrames = 4096

    init(binCount: Int, halfWidth: Int, switchProbability: Double) {
        self.binCount = binCount
        self.halfWidth = halfWidth
        let width = 2 * halfWidth + 1
        var band = [Double](repeating: -Double.infinity, count: binCount * width)
        let n = binCount
        for j in 0..<binCount {
            var row = [Double](repeating: 0, count: width)
            var total = 0.0
            for d in -halfWidth...halfWidth where (0..<binCount).contains(j + d) {
                // scipy.signal triang(M) for odd M: 1 − |n − (M−1)/2| / ((M+1)/2).
                let w = 1 - Double(abs(d)) / Double(halfWidth + 1)
                row[d + halfWidth] = w
                total += w
            }
            for d in -halfWidth...halfWidth where (0..<binCount).contains(j + d) && row[d + halfWidth] > 0 {
                band[(d + halfWidth) * n + j] = log(row[d + halfWidth] / total)
            }
        }
        logBand = band
        logStay = log(1 - switchProbability)
        logSwitch = log(switchProbability)
        value = [Double](repeating: 0, count: 2 * binCount)
        next = value
        bestVoiced = [Double](repeating: 0, count: binCount)
        bestUnvoiced = bestVoiced
        argVoiced = [Double](repeating: 0, count: binCount)
        argUnvoiced = argVoiced
        logObservation = value
    }

    private var bestVoiced: [Double]
    private var bestUnvoiced: [Double]
    /// Best offsets d, as Double so that they blend with the scores in SIMD registers.
    private var argVoiced: [Double]
    private var argUnvoiced: [Double]
    private var logObservation: [Double]

    /// Adds one frame's observation probabilities (2·binCount values).
    mutating func add(_ observation: UnsafePointer<Double>) {
        let n = binCount, states = 2 * n
        let tiny = Double.leastNormalMagnitude
        if !started {
            let initial = log(1 / Double(states) + tiny)
            for s in 0..<states { value[s] = log(observation[s] + tiny) + initial }
            started = true
            pointers.append(contentsOf: repeatElement(0, count: states))
            pendingFrames += 1
            return
        }
        let w = halfWidth
        let base = pointers.count
        pointers.append(contentsOf: repeatElement(0, count: states))
        // Observation logs: most voiced bins are 0 and all unvoiced bins share one value, so reuse logs.
        let logTiny = log(tiny)
        var lastObservation = -1.0, lastLog = 0.0
        for s in 0..<states {
            let o = observation[s]
            if o == 0 {
                logObservation[s] = logTiny
            } else {
                if o != lastObservation { lastObservation = o; lastLog = log(o + tiny) }
                logObservation[s] = lastLog
            }
        }
        logBand.withUnsafeBufferPointer { bandBuffer in
            value.withUnsafeBufferPointer { vBuffer in
                bestVoiced.withUnsafeMutableBufferPointer { bvBuffer in
                bestUnvoiced.withUnsafeMutableBufferPointer { buBuffer in
                argVoiced.withUnsafeMutableBufferPointer { avBuffer in
                argUnvoiced.withUnsafeMutableBufferPointer { auBuffer in
                    let band = bandBuffer.baseAddress!, v = vBuffer.baseAddress!, u = vBuffer.baseAddress! + n
                    let bv = bvBuffer.baseAddress!, bu = buBuffer.baseAddress!
                    let cv = avBuffer.baseAddress!, cu = auBuffer.baseAddress!
                    for i in 0..<n { bv[i] = -.infinity; bu[i] = -.infinity; cv[i] = 0; cu[i] = 0 }
                    // Offsets from +w down to −w visit sources j = i − d in increasing order, so a strict ">"
                    // keeps the lowest source on ties (numpy's argmax). Each pass is a vectorisable loop over i.
                    for d in stride(from: w, through: -w, by: -1) {
                        let row = band + (d + w) * n
                        let lo = max(0, d), hi = min(n, n + d)
                        guard lo < hi else { continue }
                        let code = Int32(d)
                        let codes = SIMD4<Double>(repeating: Double(d))
                        var i = lo
                        // Four targets at a time: compare, then blend the better scores and their offsets.
                        while i + 4 <= hi {
                            let t = UnsafeRawPointer(row + i - d).loadUnaligned(as: SIMD4<Double>.self)
                            let sv = UnsafeRawPointer(v + i - d).loadUnaligned(as: SIMD4<Double>.self) + t
                            let su = UnsafeRawPointer(u + i - d).loadUnaligned(as: SIMD4<Double>.self) + t
                            let oldV = UnsafeRawPointer(bv + i).loadUnaligned(as: SIMD4<Double>.self)
                            let oldU = UnsafeRawPointer(bu + i).loadUnaligned(as: SIMD4<Double>.self)
                            let takeV = sv .> oldV, takeU = su .> oldU
                            UnsafeMutableRawPointer(bv + i).storeBytes(of: oldV.replacing(with: sv, where: takeV), as: SIMD4<Double>.self)
                            UnsafeMutableRawPointer(bu + i).storeBytes(of: oldU.replacing(with: su, where: takeU), as: SIMD4<Double>.self)
                            let codeV = UnsafeRawPointer(cv + i).loadUnaligned(as: SIMD4<Double>.self)
                            let codeU = UnsafeRawPointer(cu + i).loadUnaligned(as: SIMD4<Double>.self)
                            UnsafeMutableRawPointer(cv + i).storeBytes(of: codeV.replacing(with: codes, where: takeV), as: SIMD4<Double>.self)
                            UnsafeMutableRawPointer(cu + i).storeBytes(of: codeU.replacing(with: codes, where: takeU), as: SIMD4<Double>.self)
                            i += 4
                        }
                        while i < hi {
                            let t = row[i - d]
                            let sv = v[i - d] + t
                            if sv > bv[i] { bv[i] = sv; cv[i] = Double(code) }
                            let su = u[i - d] + t
                            if su > bu[i] { bu[i] = su; cu[i] = Double(code) }
                            i += 1
                        }
                    }
                }
                }
                }
                }
            }
        }
        next.withUnsafeMutableBufferPointer { out in
            pointers.withUnsafeMutableBufferPointer { p in
                for i in 0..<n {
                    let bestV = bestVoiced[i], bestU = bestUnvoiced[i]
                    let codeV = UInt8(Int(argVoiced[i]) + w), codeU = UInt8(Int(argUnvoiced[i]) + w)
                    // Target voiced i: voiced sources (stay) come before unvoiced ones (switch) in index order.
                    if bestU + logSwitch > bestV + logStay {
                        out[i] = logObservation[i] + bestU + logSwitch
                        p[base + i] = codeU | 0x80
                    } else {
                        out[i] = logObservation[i] + bestV + logStay
                        p[base + i] = codeV
                    }
                    // Target unvoiced i: voiced sources (switch) come first.
                    if bestU + logStay > bestV + logSwitch {
                        out[n + i] = logObservation[n + i] + bestU + logStay
                        p[base + n + i] = codeU
                    } else {
                        out[n + i] = logObservation[n + i] + bestV + logSwitch
                        p[base + n + i] = codeV | 0x80
                    }
                }
            }
        }
        swap(&value, &next)
        pendingFrames += 1
        if pendingFrames >= Self.maxPendingFrames { commit(keeping: Self.maxPendingFrames / 2) }
    }

    /// Traces back from the best current state and commits all but the last `keeping` pending frames.
    private mutating func commit(keeping: Int) {
        let states = 2 * binCount
        var path = [Int32](repeating: 0, count: pendingFrames)
        var state = bestState()
        for f in stride(from: pendingFrames - 1, through: 0, by: -1) {
            path[f] = Int32(state)
            if f == 0 { break }
            let code = Int(pointers[f * states + state])
            let offset = (code & 0x7F) - halfWidth
            let switched = code & 0x80 != 0
            let half = state >= binCount ? 1 : 0
            let sourceHalf = switched ? 1 - half : half
            state = sourceHalf * binCount + (state - half * binCount) - offset
        }
        let done = pendingFrames - keeping
        committed.append(contentsOf: path[0..<done])
        pointers.removeFirst(done * states)
        pendingFrames = keeping
    }

    private func bestState() -> Int {
        var best = 0
        for s in 1..<(2 * binCount) where value[s] > value[best] { best = s }
        return best
    }

    /// Decodes the remaining frames; returns the state of every frame added.
    mutating func finish() -> [Int32] {
        if pendingFrames > 0 { commit(keeping: 0) }
        return committed
    }
}
