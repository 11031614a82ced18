// The residual block kind: out = x + α·f(x), a block that keeps its width. f, the branch,
// is one or two dense layers; φ is the block's `activation`. Two forms:
//   activationAt "before" (pre-activation ResNet, He et al. 2016b, "Identity mappings in
//     deep residual networks"): out = x + α·W2·φ(W1·φ(x) + b1) + α·b2 (branch 1:
//     x + α·(W1·φ(x) + b1)); the skip path is the identity, nothing after the addition;
//   activationAt "after" (post-activation ResNet, He et al. 2016a, "Deep residual learning
//     for image recognition"): out = φ(x + α·(W2·φ(W1·x + b1) + b2)) (branch 1:
//     φ(x + α·(W1·x + b1))).
// A normalization sub-layer (any kind of the table that keeps its width and has no units
// or activation: LayerNorm, ...) goes at the branch's start (normAt "pre": f(N(x)), the
// skip path untouched, as pre-norm transformers) or after the addition (normAt "post":
// N(x + α·f(x)), then φ in the "after" form, as the original transformer).
// α is a constant (gate "fixed") or a trainable scalar tensor (gate "trainable", initial
// value alpha).
//
// The block owns its sub-layers, made by kind name through make_layer, and lists their
// tensors as its own: W1, b1, [W2, b2], [alpha], [norm.<tensor>], each with its fans,
// decay and default initializer (the block's init/biasInit keys apply to the dense ones;
// alpha and the norm's keep their own). Its sub-layers sit at offsets relative to the
// block's slice and are called with the block's slice of the buffers.
//
// Snapshot: z = f(x), the branch's output before α; a = the block's output; dz = dL/d(out)
// (the grad_out_buffer contract: the buffer the layer above writes into).
#include <algorithm>

#include "initscope/config.hpp"
#include "layer_kinds.hpp"

namespace initscope {

namespace {

template <class T>
MatrixView<const T> rows_view(const T* data, std::size_t rows, std::size_t cols) {
  return matrix_view<const T>(data, rows, cols);
}

template <class T>
class ResidualLayer final : public Layer<T> {
 public:
  ResidualLayer(const LayerSpec& spec, std::size_t fan_in) : phi_(spec.activation) {
    const std::size_t n = fan_in;
    this->fan_in = n;
    this->fan_out = n;
    const Params& p = spec.params;
    auto number = [&](const char* key, double fallback) {
      return p.numbers.count(key) ? p.number(key) : fallback;
    };
    auto choice = [&](const char* key, const char* fallback) {
      return p.choices.count(key) ? p.choice(key) : std::string(fallback);
    };
    const int branch = static_cast<int>(number("branch", 2));
    const std::size_t hidden = static_cast<std::size_t>(number("hidden", 0));
    post_activation_ = choice("activationAt", "before") == "after";
    alpha_ = number("alpha", 1.0);
    trainable_ = choice("gate", "fixed") == "trainable";
    const std::string norm = choice("norm", "none");
    const std::string norm_at = choice("normAt", "pre");
    // The output's activation: φ after the addition in the "after" form, none before.
    this->activation = post_activation_ ? phi_ : ActivationSpec{Activation::linear, 0.0};

    std::size_t local = 0;  // offsets inside the block's slice
    auto add = [&](Layer<T>& sub, const std::string& prefix, bool layer_keys) {
      sub.place(local);
      for (ParamTensor t : sub.tensors) {
        t.name = prefix + t.name;
        t.layer_keys = t.layer_keys && layer_keys;
        this->tensors.push_back(t);
      }
      local += sub.num_params();
    };
    const std::size_t first_units = branch == 2 ? (hidden > 0 ? hidden : n) : n;
    const ActivationSpec linear{Activation::linear, 0.0};
    dense1_ = make_layer<T>(LayerSpec{"dense", first_units, branch == 2 ? phi_ : linear, {}}, n);
    add(*dense1_, "", true);
    this->tensors[0].name = "W1";
    this->tensors[1].name = "b1";
    if (branch == 2) {
      dense2_ = make_layer<T>(LayerSpec{"dense", n, linear, {}}, first_units);
      add(*dense2_, "", true);
      this->tensors[2].name = "W2";
      this->tensors[3].name = "b2";
    }
    last_ = dense2_ ? dense2_.get() : dense1_.get();
    if (trainable_) {
      // A scalar of its own: no decay, its initial value alpha whatever the layer's keys.
      ParamTensor a{"alpha", ParamRole::gain, Shape{1}, local, Fans{1.0, 1.0}, false, "constant"};
      a.layer_keys = false;
      a.default_value = alpha_;
      this->tensors.push_back(a);
      alpha_offset_ = local;
      local += 1;
    }
    if (norm != "none") {
      const LayerKindInfo<T>* kind = find_layer_kind<T>(norm);
      LayerSpec ns{norm, n, linear, default_params(kind->params)};
      if (ns.params.numbers.count("epsilon")) ns.params.numbers["epsilon"] = number("normEpsilon", 1e-5);
      norm_ = make_layer<T>(ns, n);
      add(*norm_, "norm.", false);
      norm_pre_ = norm_at == "pre";
    }
    use_rows(0);
  }

  // Sub-layers first: the block's views point at their caches.
  void reserve(std::size_t rows, Workspace<T>& ws) override {
    dense1_->reserve(rows, ws);
    if (dense2_) dense2_->reserve(rows, ws);
    if (norm_) norm_->reserve(rows, ws);
    const std::size_t n = this->fan_out;
    if (rows > capacity_rows_ || dout_.size() == 0) {
      capacity_rows_ = std::max(rows, capacity_rows_);
      s_.resize({capacity_rows_, n});
      dout_.resize({capacity_rows_, n});
      ds_.resize({capacity_rows_, n});
      if (!post_activation_) {
        p_.resize({capacity_rows_, n});
        dp_.resize({capacity_rows_, n});
      } else {
        out_.resize({capacity_rows_, n});
      }
    }
    use_rows(this->rows());
  }

  void forward(const MatrixView<const T>& x, const T* params, Workspace<T>& ws) override {
    const std::size_t rows = x.shape()[0], n = this->fan_out;
    if (rows != this->rows()) use_rows(rows);
    const T* P = params + this->offset();
    x_ = x.data();
    const T* h = x_;
    if (norm_ && norm_pre_) {
      norm_->forward(x, P, ws);
      h = norm_->a().data();
    }
    const T* p = h;
    if (!post_activation_) {
      activation_forward(phi_, rows_view(h, rows, n), matrix_view(p_.data(), rows, n));
      p = p_.data();
    }
    dense1_->forward(rows_view(p, rows, n), P, ws);
    if (dense2_) dense2_->forward(dense1_->a(), P, ws);
    residual_add_scaled(x_, alpha(P), last_->z().data(), s_.data(), rows * n);
    if (norm_ && !norm_pre_) norm_->forward(rows_view(s_.data(), rows, n), P, ws);
    if (post_activation_)
      activation_forward(phi_, rows_view(t_data(), rows, n), matrix_view(out_.data(), rows, n));
  }

  void backward(const MatrixView<const T>& grad_out, bool, const T* params, T* grads, T* dx,
                Workspace<T>& ws) override {
    const std::size_t rows = this->rows(), n = this->fan_out;
    const T* P = params + this->offset();
    T* G = grads + this->offset();
    const T* g = grad_out.data();
    // dL/dt, t the sum (or its normalization): through φ in the "after" form.
    const T* dt = g;
    if (post_activation_) {
      T* dst = norm_ && !norm_pre_ ? norm_->grad_out_buffer() : ds_.data();
      activation_backward(phi_, rows_view(t_data(), rows, n), rows_view(out_.data(), rows, n),
                          rows_view(g, rows, n), matrix_view(dst, rows, n));
      dt = dst;
    }
    // dL/ds, s = x + α·f: through the post-norm.
    const T* ds = dt;
    if (norm_ && !norm_pre_) {
      norm_->backward(rows_view(dt, rows, n), false, P, G, ds_.data(), ws);
      ds = ds_.data();
    }
    if (trainable_) {
      // dL/dα = Σ over rows and units of dL/ds ⊙ f, in double in index order (the order
      // fixes the bits).
      const T* f = last_->z().data();
      double sum = 0;
      for (std::size_t i = 0; i < rows * n; ++i) sum += static_cast<double>(ds[i]) * f[i];
      G[alpha_offset_] = static_cast<T>(sum);
    }
    // The branch: dL/df = α·dL/ds into its last dense layer's buffer.
    residual_scale(alpha(P), ds, last_->grad_out_buffer(), rows * n);
    const bool pre_norm = norm_ && norm_pre_;
    const bool want_dx = dx != nullptr || pre_norm;  // the pre-norm's gain needs dL/dh
    T* dp = !post_activation_ ? dp_.data() : pre_norm ? norm_->grad_out_buffer() : dx;
    if (dense2_)
      dense2_->backward(dense2_->dz(), false, P, G, dense1_->grad_out_buffer(), ws);
    dense1_->backward(dense1_->dz(), false, P, G, want_dx ? dp : nullptr, ws);
    if (!want_dx) return;
    if (!post_activation_) {
      // dL/dh = φ'(h) ⊙ dL/dp, h the branch's input (x or its normalization).
      const T* h = pre_norm ? norm_->a().data() : x_;
      T* dh = pre_norm ? norm_->grad_out_buffer() : dx;
      if (dh)
        activation_backward(phi_, rows_view(h, rows, n), rows_view(p_.data(), rows, n),
                            rows_view(dp_.data(), rows, n), matrix_view(dh, rows, n));
    }
    if (pre_norm) norm_->backward(norm_->dz(), false, P, G, dx, ws);
    // dL/dx = the branch's dx + dL/ds (the skip path).
    if (dx) residual_add_scaled(dx, T(1), ds, dx, rows * n);
  }

  T* grad_out_buffer() override { return dout_.data(); }

  // Running statistics live in the norm sub-layer (a batchnorm); the dense ones keep none.
  void set_mode(LayerMode mode) override {
    if (norm_) norm_->set_mode(mode);
  }
  void update_running_statistics() override {
    if (norm_) norm_->update_running_statistics();
  }
  std::size_t state_size() const override { return norm_ ? norm_->state_size() : 0; }
  void get_state(T* out) const override {
    if (norm_) norm_->get_state(out);
  }
  void set_state(const T* in) override {
    if (norm_) norm_->set_state(in);
  }

  // Its sub-layers' caches and its own five or six arrays of n columns (about two units'
  // worth of a dense layer's four).
  std::size_t cache_units() const override {
    std::size_t units = dense1_->cache_units() + 2 * this->fan_out;
    if (dense2_) units += dense2_->cache_units();
    if (norm_) units += norm_->cache_units();
    return units;
  }

 private:
  T alpha(const T* P) const { return trainable_ ? P[alpha_offset_] : static_cast<T>(alpha_); }
  // t: the sum s, or its post-normalization (what φ reads in the "after" form).
  const T* t_data() const { return norm_ && !norm_pre_ ? norm_->a().data() : s_.data(); }
  // z: the branch's output (its last dense layer is linear, so its z); a: the output.
  void use_rows(std::size_t rows) {
    const T* a = post_activation_ ? out_.data() : t_data();
    this->view_caches(rows, last_->z().data(), a, dout_.data());
  }

  ActivationSpec phi_;
  bool post_activation_ = false, trainable_ = false, norm_pre_ = true;
  double alpha_ = 1.0;
  std::size_t alpha_offset_ = 0;
  std::unique_ptr<Layer<T>> dense1_, dense2_, norm_;
  Layer<T>* last_ = nullptr;  // the branch's last dense layer
  const T* x_ = nullptr;      // the input of the last forward
  std::size_t capacity_rows_ = 0;
  // (capacity_rows_, n): s = x + α·f; dL/d(out) (the grad_out buffer); dL/ds scratch;
  // p = φ(h) and dL/dp ("before" form); φ(t), the output ("after" form).
  xt::xtensor<T, 2> s_, dout_, ds_, p_, dp_, out_;
};

}  // namespace

std::vector<ParamSpec> residual_specs() {
  return {
      integer_param("branch", 2, 1, 2, "dense layers in the branch f"),
      integer_param("hidden", 0, 0, kMaxUnits,
                    "units of the branch's first dense layer when branch = 2 (0: the block's "
                    "width)"),
      choice_param("activationAt", {"before", "after"}, "before",
                   "before: out = x + α·W2·φ(W1·φ(x)) (pre-activation ResNet, He et al. 2016b); "
                   "after: out = φ(x + α·W2·φ(W1·x)) (post-activation ResNet, He et al. 2016a)"),
      number_param("alpha", 1.0, 0.0, 10.0, "the branch's scale α (the initial value when trainable)"),
      choice_param("gate", {"fixed", "trainable"}, "fixed",
                   "fixed: α is a constant; trainable: α is a scalar parameter (no weight decay)"),
      // The choices are the table's normalization kinds, filled in by layer_kinds().
      choice_param("norm", {"none"}, "none",
                   "a normalization sub-layer: none, or a layer kind that keeps its width"),
      choice_param("normAt", {"pre", "post"}, "pre",
                   "pre: at the branch's start, f(N(x)), the skip path untouched (pre-norm "
                   "transformers); post: after the addition, N(x + α·f(x)) (the original "
                   "transformer)"),
      number_param("normEpsilon", 1e-5, 1e-12, 1.0, "the normalization sub-layer's epsilon"),
  };
}

template <class T>
std::unique_ptr<Layer<T>> make_residual_layer(const LayerSpec& spec, std::size_t fan_in) {
  return std::make_unique<ResidualLayer<T>>(spec, fan_in);
}

template std::unique_ptr<Layer<float>> make_residual_layer(const LayerSpec&, std::size_t);
template std::unique_ptr<Layer<double>> make_residual_layer(const LayerSpec&, std::size_t);

}  // namespace initscope
