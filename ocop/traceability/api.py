from ninja import Router

router = Router()  # public: /api/v1/stamps
batches_router = Router()  # signed in: /api/v1/batches
